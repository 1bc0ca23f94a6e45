using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// <see cref="GpuDepthwise"/> on the CPU accelerator, each case's kernels written as the generator writes them (the
/// shape and flags constants), against the naive op on the prologue's output and against the CPU kernel itself with
/// the same <see cref="ChannelAffine"/>. Planes are not tile multiples; strides 1 and 2, kernels 3 and 5, 'same' and
/// asymmetric padding, prologue and ReLU on and off, n = 1 and 3.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed unsafe class GpuDepthwiseTests(CpuAccelerator device)
{
    // Stride 1, 'same' padding, 9 x 11 (one tile down, one across, both partial); ReLU, no prologue; n = 3.
    private static void SameForward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> y, int n) =>
        GpuDepthwise.Forward(x, w, scale, shift, y, n, new DepthwiseShape(3, 9, 11, 9, 11, 3, 1, 1, 1), reluInput: true, prologue: false);

    private static void SameData(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dx, int n) =>
        GpuDepthwise.BackwardData(dy, w, x, scale, shift, dx, n, new DepthwiseShape(3, 9, 11, 9, 11, 3, 1, 1, 1), reluInput: true, prologue: false, accumulate: false);

    private static void SameWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dw, int n) =>
        GpuDepthwise.BackwardWeights(dy, x, scale, shift, dw, n, new DepthwiseShape(3, 9, 11, 9, 11, 3, 1, 1, 1), reluInput: true, prologue: false);

    // Stride 2, 'same' padding, 19 x 19 to 10 x 10; prologue without ReLU; accumulating; n = 1.
    private static void StridedForward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> y, int n) =>
        GpuDepthwise.Forward(x, w, scale, shift, y, n, new DepthwiseShape(2, 19, 19, 10, 10, 3, 2, 1, 1), reluInput: false, prologue: true);

    private static void StridedData(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dx, int n) =>
        GpuDepthwise.BackwardData(dy, w, x, scale, shift, dx, n, new DepthwiseShape(2, 19, 19, 10, 10, 3, 2, 1, 1), reluInput: false, prologue: true, accumulate: true);

    private static void StridedWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dw, int n) =>
        GpuDepthwise.BackwardWeights(dy, x, scale, shift, dw, n, new DepthwiseShape(2, 19, 19, 10, 10, 3, 2, 1, 1), reluInput: false, prologue: true);

    // Stride 1, asymmetric padding (top 0 / bottom 1, left 2 / right 0); prologue then ReLU; accumulating; n = 3.
    private static void AsymmetricForward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> y, int n) =>
        GpuDepthwise.Forward(x, w, scale, shift, y, n, new DepthwiseShape(2, 9, 11, 8, 11, 3, 1, 0, 2), reluInput: true, prologue: true);

    private static void AsymmetricData(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dx, int n) =>
        GpuDepthwise.BackwardData(dy, w, x, scale, shift, dx, n, new DepthwiseShape(2, 9, 11, 8, 11, 3, 1, 0, 2), reluInput: true, prologue: true, accumulate: true);

    private static void AsymmetricWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dw, int n) =>
        GpuDepthwise.BackwardWeights(dy, x, scale, shift, dw, n, new DepthwiseShape(2, 9, 11, 8, 11, 3, 1, 0, 2), reluInput: true, prologue: true);

    // Stride 2 without padding, 37 x 37 to 18 x 18 (input tiles two across); ReLU, no prologue; accumulating; n = 1.
    private static void LargeForward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> y, int n) =>
        GpuDepthwise.Forward(x, w, scale, shift, y, n, new DepthwiseShape(1, 37, 37, 18, 18, 3, 2, 0, 0), reluInput: true, prologue: false);

    private static void LargeData(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dx, int n) =>
        GpuDepthwise.BackwardData(dy, w, x, scale, shift, dx, n, new DepthwiseShape(1, 37, 37, 18, 18, 3, 2, 0, 0), reluInput: true, prologue: false, accumulate: true);

    private static void LargeWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dw, int n) =>
        GpuDepthwise.BackwardWeights(dy, x, scale, shift, dw, n, new DepthwiseShape(1, 37, 37, 18, 18, 3, 2, 0, 0), reluInput: true, prologue: false);

    // Kernel 5, stride 2, asymmetric padding (top 1 / bottom 1, left 2 / right 2 on a 19 x 19 plane to 9 x 10);
    // neither ReLU nor prologue; n = 3.
    private static void WideForward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> y, int n) =>
        GpuDepthwise.Forward(x, w, scale, shift, y, n, new DepthwiseShape(2, 19, 19, 9, 10, 5, 2, 1, 2), reluInput: false, prologue: false);

    private static void WideData(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dx, int n) =>
        GpuDepthwise.BackwardData(dy, w, x, scale, shift, dx, n, new DepthwiseShape(2, 19, 19, 9, 10, 5, 2, 1, 2), reluInput: false, prologue: false, accumulate: false);

    private static void WideWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> dw, int n) =>
        GpuDepthwise.BackwardWeights(dy, x, scale, shift, dw, n, new DepthwiseShape(2, 19, 19, 9, 10, 5, 2, 1, 2), reluInput: false, prologue: false);

    private sealed record Case(
        DepthwiseShape Shape, int N, bool Relu, bool Prologue, bool Accumulate,
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Forward,
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Data,
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Weights);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["same 9x11 stride 1, relu, n 3"] = new(new(3, 9, 11, 9, 11, 3, 1, 1, 1), 3, true, false, false, SameForward, SameData, SameWeights),
        ["19x19 stride 2, prologue, accumulate, n 1"] = new(new(2, 19, 19, 10, 10, 3, 2, 1, 1), 1, false, true, true, StridedForward, StridedData, StridedWeights),
        ["asymmetric padding, prologue and relu, accumulate, n 3"] = new(new(2, 9, 11, 8, 11, 3, 1, 0, 2), 3, true, true, true, AsymmetricForward, AsymmetricData, AsymmetricWeights),
        ["37x37 stride 2 unpadded, relu, accumulate, n 1"] = new(new(1, 37, 37, 18, 18, 3, 2, 0, 0), 1, true, false, true, LargeForward, LargeData, LargeWeights),
        ["kernel 5 stride 2 asymmetric, n 3"] = new(new(2, 19, 19, 9, 10, 5, 2, 1, 2), 3, false, false, false, WideForward, WideData, WideWeights),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardMatchesNaiveAndCpu(string name)
    {
        Case k = Cases[name];
        DepthwiseShape s = k.Shape;
        Inputs t = MakeInputs(k);
        float[] expected = new float[OutputCount(k)], cpu = new float[OutputCount(k)];
        NaiveOps.DepthwiseForward<float>(t.Folded, t.Weight, expected, k.N, s, k.Relu);
        fixed (float* px = t.X, pw = t.Weight, py = cpu, pScale = t.Scale, pShift = t.Shift)
        {
            Depthwise.Forward(px, pw, py, k.N, s, k.Relu, Affine(k, pScale, pShift));
        }

        Accelerator a = device.Accelerator;
        using var x = device.Upload(t.X);
        using var w = device.Upload(t.Weight);
        using var scale = device.Upload(t.Scale);
        using var shift = device.Upload(t.Shift);
        using var y = device.Zeros(OutputCount(k));
        a.LoadStreamKernel(k.Forward)(GpuDepthwise.ForwardConfig(k.N, s), x.View, w.View, Optional(k.Prologue, scale), Optional(k.Prologue, shift), y.View, k.N);
        float[] actual = device.Download(y);

        int[] shape = [k.N, s.Channels, s.OutHeight, s.OutWidth];
        TensorAssert.MaxAbsRelative("forward against the naive op", expected, actual, 1e-5, shape);
        TensorAssert.MaxAbsRelative("forward against the CPU kernel", cpu, actual, 1e-5, shape);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BackwardDataMatchesNaiveAndCpu(string name)
    {
        Case k = Cases[name];
        DepthwiseShape s = k.Shape;
        Inputs t = MakeInputs(k);
        float[] initial = TensorRandom.Uniform(InputCount(k), 21);
        float[] expected = (float[])initial.Clone(), cpu = (float[])initial.Clone();
        // The naive op masks by its x > 0: given the prologue's output, that is the CPU's mask f(x) > 0.
        NaiveOps.DepthwiseBackwardData<float>(t.Dy, t.Weight, t.Folded, expected, k.N, s, k.Relu, k.Accumulate);
        fixed (float* pdy = t.Dy, pw = t.Weight, px = t.X, pdx = cpu, pScale = t.Scale, pShift = t.Shift)
        {
            Depthwise.BackwardData(pdy, pw, px, pdx, k.N, s, k.Relu, k.Accumulate, Affine(k, pScale, pShift));
        }

        Accelerator a = device.Accelerator;
        using var dy = device.Upload(t.Dy);
        using var w = device.Upload(t.Weight);
        using var x = device.Upload(t.X);
        using var scale = device.Upload(t.Scale);
        using var shift = device.Upload(t.Shift);
        using var dx = device.Upload(initial);
        a.LoadStreamKernel(k.Data)(GpuDepthwise.BackwardDataConfig(k.N, s), dy.View, w.View, Optional(k.Relu, x),
            Optional(k.Relu && k.Prologue, scale), Optional(k.Relu && k.Prologue, shift), dx.View, k.N);
        float[] actual = device.Download(dx);

        int[] shape = [k.N, s.Channels, s.InHeight, s.InWidth];
        TensorAssert.MaxAbsRelative("data gradient against the naive op", expected, actual, 1e-5, shape);
        TensorAssert.MaxAbsRelative("data gradient against the CPU kernel", cpu, actual, 1e-5, shape);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BackwardWeightsAccumulatesAsNaiveAndCpu(string name)
    {
        Case k = Cases[name];
        DepthwiseShape s = k.Shape;
        Inputs t = MakeInputs(k);
        float[] initial = TensorRandom.Uniform(t.Weight.Length, 22);
        float[] expected = (float[])initial.Clone(), cpu = (float[])initial.Clone();
        NaiveOps.DepthwiseBackwardWeights<float>(t.Dy, t.Folded, expected, k.N, s, k.Relu);
        fixed (float* pdy = t.Dy, px = t.X, pdw = cpu, pScale = t.Scale, pShift = t.Shift)
        {
            Depthwise.BackwardWeights(pdy, px, pdw, k.N, s, k.Relu, Affine(k, pScale, pShift));
        }

        Accelerator a = device.Accelerator;
        using var dy = device.Upload(t.Dy);
        using var x = device.Upload(t.X);
        using var scale = device.Upload(t.Scale);
        using var shift = device.Upload(t.Shift);
        using var dw = device.Upload(initial);
        a.LoadStreamKernel(k.Weights)(GpuDepthwise.BackwardWeightsConfig(k.N, s), dy.View, x.View, Optional(k.Prologue, scale),
            Optional(k.Prologue, shift), dw.View, k.N);
        float[] actual = device.Download(dw);

        int[] shape = [s.Channels, s.Kernel, s.Kernel];
        TensorAssert.MaxAbsRelative("weight gradient against the naive op", expected, actual, 1e-5, shape);
        TensorAssert.MaxAbsRelative("weight gradient against the CPU kernel", cpu, actual, 1e-5, shape);
    }

    [Fact]
    public void ConfigRejectsKernelsTheSharedWindowsCannotHold()
    {
        Assert.Throws<NotSupportedException>(() => GpuDepthwise.ForwardConfig(1, new DepthwiseShape(1, 19, 19, 19, 19, 9, 1, 4, 4)));
        Assert.Throws<NotSupportedException>(() => GpuDepthwise.BackwardWeightsConfig(1, new DepthwiseShape(1, 19, 19, 7, 7, 3, 3, 1, 1)));
    }

    // x, the prologue's coefficients, f(x) before the ReLU as the CPU computes it (the naive op's input), weights, dy.
    private sealed record Inputs(float[] X, float[] Scale, float[] Shift, float[] Folded, float[] Weight, float[] Dy);

    private static Inputs MakeInputs(Case k)
    {
        DepthwiseShape s = k.Shape;
        float[] x = TensorRandom.Uniform(InputCount(k), 11);
        float[] scale = TensorRandom.Uniform(s.Channels, 12, 0.5, 1.5), shift = TensorRandom.Uniform(s.Channels, 13, -0.5, 0.5);
        float[] folded = (float[])x.Clone();
        if (k.Prologue)
        {
            int plane = s.InHeight * s.InWidth;
            for (int i = 0; i < x.Length; i++)
            {
                int c = i / plane % s.Channels;
                folded[i] = MathF.FusedMultiplyAdd(x[i], scale[c], shift[c]);
            }
        }

        return new(x, scale, shift, folded, TensorRandom.Uniform(s.Channels * s.Kernel * s.Kernel, 14), TensorRandom.Uniform(OutputCount(k), 15));
    }

    private static int InputCount(Case k) => k.N * k.Shape.Channels * k.Shape.InHeight * k.Shape.InWidth;

    private static int OutputCount(Case k) => k.N * k.Shape.Channels * k.Shape.OutHeight * k.Shape.OutWidth;

    private static ChannelAffine Affine(Case k, float* scale, float* shift) => k.Prologue ? new ChannelAffine(scale, shift) : ChannelAffine.None;

    // What the generated launcher passes: the buffer when the flag reads it, otherwise an empty view.
    private static ArrayView<float> Optional(bool used, MemoryBuffer1D<float, Stride1D.Dense> buffer) =>
        used ? buffer.View : ArrayView<float>.Empty;
}
