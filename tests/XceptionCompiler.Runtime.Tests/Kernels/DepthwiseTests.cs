using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="Depthwise"/> against the naive depthwise convolution.</summary>
public sealed unsafe class DepthwiseTests
{
    /// <summary>Odd shapes: partial vectors, both strides, asymmetric padding, a 5 x 5 kernel (other depthwise tests share them).</summary>
    internal static readonly Dictionary<string, DepthwiseShape> Shapes = new()
    {
        ["same_s1_odd"] = new(19, 9, 11, 9, 11, 3, 1, 1, 1),
        ["valid_s1"] = new(5, 7, 6, 5, 4, 3, 1, 0, 0),
        ["symmetric_s2"] = new(7, 9, 9, 5, 5, 3, 2, 1, 1),
        // TensorFlow 'same' with stride 2: padding only at the bottom/right.
        ["tf_same_s2"] = new(6, 10, 10, 5, 5, 3, 2, 0, 0),
        // 5x5 with one column of padding on the left and three on the right.
        ["k5_asymmetric"] = new(3, 8, 9, 8, 7, 5, 1, 2, 1),
        ["xception_19x19"] = new(33, 19, 19, 19, 19, 3, 1, 1, 1),
        ["wide_rows"] = new(4, 5, 40, 5, 40, 3, 1, 1, 1),
        // Rows narrower than a vector: a vector spans several rows, and its column masks wrap.
        ["narrow_rows"] = new(3, 7, 5, 7, 5, 3, 1, 1, 1),
        // One column, then one cell: every left and right tap is masked.
        ["one_column"] = new(2, 6, 1, 6, 1, 3, 1, 1, 1),
        ["one_cell"] = new(3, 1, 1, 1, 1, 3, 1, 1, 1),
    };

    public static TheoryData<string, int, bool> WithRelu => TheoryCases.Of(Shapes.Keys, TheoryCases.Both);

    public static TheoryData<string, int, bool, bool> WithReluAndAccumulate => TheoryCases.Of(Shapes.Keys, TheoryCases.Both, TheoryCases.Both);

    [Theory]
    [MemberData(nameof(WithRelu))]
    public void Forward(string shape, int batch, bool relu)
    {
        DepthwiseShape s = Shapes[shape];
        float[] x = TestTensors.Random(batch * InSize(s), 1), w = TestTensors.Random(WeightSize(s), 2);
        float[] xBefore = (float[])x.Clone();
        float[] y = TestTensors.Initial(batch * OutSize(s), false, 3), expected = new float[y.Length];
        NaiveOps.DepthwiseForward<float>(x, w, expected, batch, s, relu);
        fixed (float* px = x, pw = w, py = y)
        {
            Depthwise.Forward(px, pw, py, batch, s, relu);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, s.Channels, s.OutHeight, s.OutWidth]);
        TensorAssert.Identical("x (must not be modified by the ReLU prologue)", xBefore, x);
    }

    [Theory]
    [MemberData(nameof(WithReluAndAccumulate))]
    public void BackwardData(string shape, int batch, bool relu, bool accumulate)
    {
        DepthwiseShape s = Shapes[shape];
        float[] dy = TestTensors.Random(batch * OutSize(s), 1), w = TestTensors.Random(WeightSize(s), 2), x = TestTensors.Random(batch * InSize(s), 3);
        float[] dx = TestTensors.Initial(batch * InSize(s), accumulate, 4), expected = (float[])dx.Clone();
        NaiveOps.DepthwiseBackwardData<float>(dy, w, x, expected, batch, s, relu, accumulate);
        fixed (float* pdy = dy, pw = w, px = x, pdx = dx)
        {
            Depthwise.BackwardData(pdy, pw, px, pdx, batch, s, relu, accumulate);
        }

        TensorAssert.RelativeL2("dx", expected, dx, shape: [batch, s.Channels, s.InHeight, s.InWidth]);
    }

    [Theory]
    [MemberData(nameof(WithRelu))]
    public void BackwardWeights(string shape, int batch, bool relu)
    {
        DepthwiseShape s = Shapes[shape];
        float[] dy = TestTensors.Random(batch * OutSize(s), 1), x = TestTensors.Random(batch * InSize(s), 2);
        float[] dw = TestTensors.Random(WeightSize(s), 3), expected = (float[])dw.Clone();
        NaiveOps.DepthwiseBackwardWeights<float>(dy, x, expected, batch, s, relu);
        fixed (float* pdy = dy, px = x, pdw = dw)
        {
            Depthwise.BackwardWeights(pdy, px, pdw, batch, s, relu);
        }

        TensorAssert.RelativeL2("dw", expected, dw, shape: [s.Channels, 1, s.Kernel, s.Kernel]);
    }

    [Theory]
    [MemberData(nameof(WithReluAndAccumulate))]
    public void BackwardGivesBothGradients(string shape, int batch, bool relu, bool accumulate)
    {
        // On the AVX-512 path a 3 x 3 'same' shape reads x and dy in place (PlaneSweep512), on the other through bands.
        foreach (SimdWidth width in SimdWidths.Available)
        {
            using SimdPath.Scope path = SimdPath.Force(width);
            CheckBackwardGivesBothGradients(Shapes[shape], batch, relu, accumulate);
        }
    }

    private static void CheckBackwardGivesBothGradients(in DepthwiseShape s, int batch, bool relu, bool accumulate)
    {
        float[] dy = TestTensors.Random(batch * OutSize(s), 1), w = TestTensors.Random(WeightSize(s), 2), x = TestTensors.Random(batch * InSize(s), 3);
        float[] dx = TestTensors.Initial(batch * InSize(s), accumulate, 4), expectedDx = (float[])dx.Clone();
        float[] dw = TestTensors.Random(WeightSize(s), 5), expectedDw = (float[])dw.Clone();
        NaiveOps.DepthwiseBackwardData<float>(dy, w, x, expectedDx, batch, s, relu, accumulate);
        NaiveOps.DepthwiseBackwardWeights<float>(dy, x, expectedDw, batch, s, relu);
        fixed (float* pdy = dy, pw = w, px = x, pdx = dx, pdw = dw)
        {
            Depthwise.Backward(pdy, pw, px, pdx, pdw, batch, s, relu, accumulate);
        }

        TensorAssert.RelativeL2("dx", expectedDx, dx, shape: [batch, s.Channels, s.InHeight, s.InWidth]);
        TensorAssert.RelativeL2("dw", expectedDw, dw, shape: [s.Channels, 1, s.Kernel, s.Kernel]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardMasksTheDataGradientWhereTheInputIsExactlyZero(bool accumulate)
    {
        // The ReLU's derivative is 0 at 0, as in PyTorch: every third input is exactly 0, in whole steps and in the
        // last partial one of each 19 x 19 plane.
        DepthwiseShape s = Shapes["xception_19x19"];
        const int batch = 2;
        float[] x = TestTensors.Random(batch * InSize(s), 3);
        for (int i = 0; i < x.Length; i += 3)
        {
            x[i] = 0f;
        }

        float[] dy = TestTensors.Random(batch * OutSize(s), 1), w = TestTensors.Random(WeightSize(s), 2);
        float[] expectedDx = TestTensors.Initial(batch * InSize(s), accumulate, 4);
        float[] initialDx = (float[])expectedDx.Clone();
        NaiveOps.DepthwiseBackwardData<float>(dy, w, x, expectedDx, batch, s, true, accumulate);
        foreach (SimdWidth width in SimdWidths.Available)
        {
            using SimdPath.Scope path = SimdPath.Force(width);
            float[] dx = (float[])initialDx.Clone(), dw = new float[WeightSize(s)];
            fixed (float* pdy = dy, pw = w, px = x, pdx = dx, pdw = dw)
            {
                Depthwise.Backward(pdy, pw, px, pdx, pdw, batch, s, reluInput: true, accumulate);
            }

            TensorAssert.RelativeL2($"dx on the {width} path", expectedDx, dx, shape: [batch, s.Channels, s.InHeight, s.InWidth]);
        }
    }

    [Theory]
    [InlineData("xception_19x19")]
    [InlineData("symmetric_s2")]
    public void BackwardWithoutDxGivesTheSameWeightGradient(string shape)
    {
        DepthwiseShape s = Shapes[shape];
        const int batch = 2;
        float[] dy = TestTensors.Random(batch * OutSize(s), 1), w = TestTensors.Random(WeightSize(s), 2), x = TestTensors.Random(batch * InSize(s), 3);
        float[] dx = new float[batch * InSize(s)], dw = TestTensors.Random(WeightSize(s), 4), dwAlone = (float[])dw.Clone();
        fixed (float* pdy = dy, pw = w, px = x, pdx = dx, pdw = dw, pdwAlone = dwAlone)
        {
            Depthwise.Backward(pdy, pw, px, pdx, pdw, batch, s, reluInput: true, accumulate: false);
            Depthwise.Backward(pdy, pw, px, null, pdwAlone, batch, s, reluInput: true, accumulate: false);
        }

        TensorAssert.Identical("dw without dx against dw with it", dw, dwAlone);
    }

    [Theory]
    [MemberData(nameof(WithRelu))]
    public void BackwardRecomputesTheForwardOverItsGradient(string shape, int batch, bool relu)
    {
        foreach (SimdWidth width in SimdWidths.Available)
        {
            using SimdPath.Scope path = SimdPath.Force(width);
            CheckBackwardRecomputesTheForwardOverItsGradient(Shapes[shape], batch, relu);
        }
    }

    private static void CheckBackwardRecomputesTheForwardOverItsGradient(in DepthwiseShape s, int batch, bool relu)
    {
        float[] dy = TestTensors.Random(batch * OutSize(s), 1), w = TestTensors.Random(WeightSize(s), 2), x = TestTensors.Random(batch * InSize(s), 3);
        float[] dx = new float[batch * InSize(s)], dw = TestTensors.Random(WeightSize(s), 4);
        float[] dxShared = (float[])dx.Clone(), dwShared = (float[])dw.Clone(), shared = (float[])dy.Clone();
        float[] forward = new float[dy.Length];
        fixed (float* pdy = dy, pw = w, px = x, pdx = dx, pdw = dw, pdxShared = dxShared, pdwShared = dwShared, pShared = shared, pForward = forward)
        {
            Depthwise.Forward(px, pw, pForward, batch, s, relu);
            Depthwise.Backward(pdy, pw, px, pdx, pdw, batch, s, relu, accumulate: false);
            // The recomputed output goes where dy is: each plane must be read before it is overwritten.
            Depthwise.Backward(pShared, pw, px, pdxShared, pdwShared, batch, s, relu, accumulate: false, recompute: pShared);
        }

        TensorAssert.Identical("recomputed output against Depthwise.Forward", forward, shared);
        TensorAssert.Identical("dx with the recompute over dy against without it", dx, dxShared);
        TensorAssert.Identical("dw with the recompute over dy against without it", dw, dwShared);
    }

    private static int InSize(in DepthwiseShape s) => s.Channels * s.InHeight * s.InWidth;

    private static int OutSize(in DepthwiseShape s) => s.Channels * s.OutHeight * s.OutWidth;

    private static int WeightSize(in DepthwiseShape s) => s.Channels * s.Kernel * s.Kernel;
}
