using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="Conv2d"/> against the naive convolution.</summary>
public sealed unsafe class Conv2dTests
{
    internal static readonly Dictionary<string, ConvShape> Shapes = new()
    {
        // Xception's first stem conv in miniature: 3 channels, 'valid', stride 2.
        ["stem_valid_s2"] = new(3, 17, 17, 5, 8, 8, 3, 3, 2, 0, 0),
        ["same_s1_odd"] = new(7, 9, 11, 19, 9, 11, 3, 3, 1, 1, 1),
        // TensorFlow 'same' with stride 2 on an even size: no top/left padding, one row/column at the bottom/right.
        ["tf_same_s2"] = new(6, 10, 10, 9, 5, 5, 3, 3, 2, 0, 0),
        ["skip_1x1_s2"] = new(13, 9, 9, 21, 5, 5, 1, 1, 2, 0, 0),
        // Output rows wider than two AVX-512 vectors, so a stride-2 gather runs whole vectors and a masked tail.
        ["wide_valid_s2"] = new(3, 7, 75, 4, 3, 37, 3, 3, 2, 0, 0),
        ["wide_skip_1x1_s2"] = new(5, 6, 70, 6, 3, 35, 1, 1, 2, 0, 0),
        // 5x3 kernel: two rows of padding at the top and bottom, none at the sides.
        ["rect_5x3"] = new(4, 8, 7, 6, 8, 5, 5, 3, 1, 2, 0),
        ["identity_1x1"] = new(20, 6, 7, 17, 6, 7, 1, 1, 1, 0, 0),
        // 96*3*3 = 864 rows in the column matrix: the GEMM cuts them into two slices.
        // Also computed by Winograd F(2x2, 3x3) on the AVX-512 path (WinogradConv), as are the two below (the data
        // gradient of the first two, whose dy has 16 or more channels, too).
        ["deep_k"] = new(96, 12, 12, 40, 12, 12, 3, 3, 1, 1, 1),
        // Xception's second stem convolution in miniature: 'valid', 37 tiles per tile row (a chunk of 32 and one of
        // 16 with 11 past the edge), and an odd output height, so the last tile row has one output row.
        ["stem_valid_s1"] = new(32, 13, 75, 16, 11, 73, 3, 3, 1, 0, 0),
        // 'same' on rows of 33 tiles, and 12 output channels: the products' register tiles have 4 rows of padding.
        ["same_s1_wide"] = new(16, 6, 66, 12, 6, 66, 3, 3, 1, 1, 1),
    };

    public static TheoryData<string, int, bool> WithRelu => TheoryCases.Of(Shapes.Keys, TheoryCases.Both);

    public static TheoryData<string, int, bool, bool> WithReluAndAccumulate => TheoryCases.Of(Shapes.Keys, TheoryCases.Both, TheoryCases.Both);

    [Theory]
    [MemberData(nameof(WithRelu))]
    public void Forward(string shape, int batch, bool relu)
    {
        ConvShape s = Shapes[shape];
        float[] x = TestTensors.Random(batch * InSize(s), 1), w = TestTensors.Random(WeightSize(s), 2);
        float[] xBefore = (float[])x.Clone();
        float[] y = TestTensors.Initial(batch * OutSize(s), false, 3), expected = new float[y.Length];
        NaiveOps.Conv2dForward<float>(x, w, expected, batch, s, relu);
        fixed (float* px = x, pw = w, py = y)
        {
            Conv2d.Forward(px, pw, py, batch, s, relu);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, s.OutChannels, s.OutHeight, s.OutWidth]);
        TensorAssert.Identical("x (must not be modified by the ReLU prologue)", xBefore, x);
    }

    [Theory]
    [MemberData(nameof(WithReluAndAccumulate))]
    public void BackwardData(string shape, int batch, bool relu, bool accumulate)
    {
        ConvShape s = Shapes[shape];
        float[] dy = TestTensors.Random(batch * OutSize(s), 1), w = TestTensors.Random(WeightSize(s), 2), x = TestTensors.Random(batch * InSize(s), 3);
        float[] dx = TestTensors.Initial(batch * InSize(s), accumulate, 4), expected = (float[])dx.Clone();
        NaiveOps.Conv2dBackwardData<float>(dy, w, x, expected, batch, s, relu, accumulate);
        fixed (float* pdy = dy, pw = w, px = x, pdx = dx, ws = new float[Conv2d.WorkspaceFloats(s)])
        {
            Conv2d.BackwardData(pdy, pw, px, pdx, batch, s, relu, accumulate, ws);
        }

        TensorAssert.RelativeL2("dx", expected, dx, shape: [batch, s.InChannels, s.InHeight, s.InWidth]);
    }

    [Theory]
    [MemberData(nameof(WithRelu))]
    public void BackwardWeights(string shape, int batch, bool relu)
    {
        ConvShape s = Shapes[shape];
        float[] dy = TestTensors.Random(batch * OutSize(s), 1), x = TestTensors.Random(batch * InSize(s), 2);
        float[] dw = TestTensors.Random(WeightSize(s), 3), expected = (float[])dw.Clone();
        NaiveOps.Conv2dBackwardWeights<float>(dy, x, expected, batch, s, relu);
        fixed (float* pdy = dy, px = x, pdw = dw)
        {
            Conv2d.BackwardWeights(pdy, px, pdw, batch, s, relu);
        }

        TensorAssert.RelativeL2("dw", expected, dw, shape: [s.OutChannels, s.InChannels, s.KernelHeight, s.KernelWidth]);
    }

    internal static int InSize(in ConvShape s) => s.InChannels * s.InHeight * s.InWidth;

    internal static int OutSize(in ConvShape s) => s.OutChannels * s.OutHeight * s.OutWidth;

    internal static int WeightSize(in ConvShape s) => s.OutChannels * s.InChannels * s.KernelHeight * s.KernelWidth;
}
