using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// <see cref="GpuMaxPool"/> on the CPU accelerator against the naive op and, bit for bit, the CPU kernel. Inputs are
/// small integers, so windows tie often and the first-maximum rule decides where gradients go; overlapping windows
/// (k 3, stride 2 and stride 1) make cells collect several outputs' gradients.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed unsafe class GpuMaxPoolTests(CpuAccelerator device)
{
    // Xception's pool: k 3, stride 2, 'same' padding, 19 x 19 to 10 x 10; residual added; n = 3.
    private static void XceptionForward(ArrayView<float> x, ArrayView<float> residual, ArrayView<float> y, int n) =>
        GpuMaxPool.Forward(x, residual, y, n, new PoolShape(2, 19, 19, 10, 10, 3, 2, 1, 1), hasResidual: true);

    private static void XceptionBackward(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuMaxPool.Backward(dy, x, dx, n, new PoolShape(2, 19, 19, 10, 10, 3, 2, 1, 1), accumulate: true);

    // Asymmetric padding (top 0 / bottom 2, left 1 / right 1), 9 x 11 to 5 x 6; no residual; overwriting; n = 1.
    private static void AsymmetricForward(ArrayView<float> x, ArrayView<float> residual, ArrayView<float> y, int n) =>
        GpuMaxPool.Forward(x, residual, y, n, new PoolShape(3, 9, 11, 5, 6, 3, 2, 0, 1), hasResidual: false);

    private static void AsymmetricBackward(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuMaxPool.Backward(dy, x, dx, n, new PoolShape(3, 9, 11, 5, 6, 3, 2, 0, 1), accumulate: false);

    // Stride 1 (every cell in up to nine windows), 9 x 11; no residual; overwriting; n = 3.
    private static void DenseForward(ArrayView<float> x, ArrayView<float> residual, ArrayView<float> y, int n) =>
        GpuMaxPool.Forward(x, residual, y, n, new PoolShape(2, 9, 11, 9, 11, 3, 1, 1, 1), hasResidual: false);

    private static void DenseBackward(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuMaxPool.Backward(dy, x, dx, n, new PoolShape(2, 9, 11, 9, 11, 3, 1, 1, 1), accumulate: false);

    private sealed record Case(
        PoolShape Shape, int N, bool Residual, bool Accumulate,
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Forward,
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Backward);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["k3 s2 same 19x19, residual, accumulate, n 3"] = new(new(2, 19, 19, 10, 10, 3, 2, 1, 1), 3, true, true, XceptionForward, XceptionBackward),
        ["k3 s2 asymmetric 9x11, n 1"] = new(new(3, 9, 11, 5, 6, 3, 2, 0, 1), 1, false, false, AsymmetricForward, AsymmetricBackward),
        ["k3 s1 9x11, n 3"] = new(new(2, 9, 11, 9, 11, 3, 1, 1, 1), 3, false, false, DenseForward, DenseBackward),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardMatchesNaiveAndCpu(string name)
    {
        Case k = Cases[name];
        PoolShape s = k.Shape;
        int inputs = k.N * s.Channels * s.InHeight * s.InWidth, outputs = k.N * s.Channels * s.OutHeight * s.OutWidth;
        float[] x = TensorRandom.Integers(inputs, 31, levels: 5);
        float[] residual = TensorRandom.Uniform(outputs, 32);
        float[] expected = new float[outputs], cpu = new float[outputs];
        NaiveOps.MaxPoolForward<float>(x, expected, k.N, s, k.Residual ? residual : []);
        fixed (float* px = x, pr = residual, py = cpu)
        {
            MaxPool.Forward(px, py, k.N, s, k.Residual ? pr : null);
        }

        using var dx = device.Upload(x);
        using var dr = device.Upload(residual);
        using var dy = device.Zeros(outputs);
        device.Accelerator.LoadStreamKernel(k.Forward)(GpuMaxPool.ForwardConfig(k.N, s), dx.View,
            k.Residual ? dr.View : ArrayView<float>.Empty, dy.View, k.N);
        float[] actual = device.Download(dy);

        int[] shape = [k.N, s.Channels, s.OutHeight, s.OutWidth];
        TensorAssert.MaxAbsRelative("forward against the naive op", expected, actual, 1e-6, shape);
        TensorAssert.Identical("forward against the CPU kernel", cpu, actual, shape);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BackwardRoutesToTheFirstMaximumAsNaiveAndCpu(string name)
    {
        Case k = Cases[name];
        PoolShape s = k.Shape;
        int inputs = k.N * s.Channels * s.InHeight * s.InWidth, outputs = k.N * s.Channels * s.OutHeight * s.OutWidth;
        float[] x = TensorRandom.Integers(inputs, 33, levels: 3);
        float[] gradient = TensorRandom.Uniform(outputs, 34);
        float[] initial = TensorRandom.Uniform(inputs, 35);
        float[] expected = (float[])initial.Clone(), cpu = (float[])initial.Clone();
        NaiveOps.MaxPoolBackward<float>(gradient, x, expected, k.N, s, k.Accumulate);
        fixed (float* pdy = gradient, px = x, pdx = cpu)
        {
            MaxPool.Backward(pdy, px, pdx, k.N, s, k.Accumulate);
        }

        using var dy = device.Upload(gradient);
        using var dxIn = device.Upload(x);
        using var dx = device.Upload(initial);
        device.Accelerator.LoadStreamKernel(k.Backward)(GpuMaxPool.BackwardConfig(k.N, s), dy.View, dxIn.View, dx.View, k.N);
        float[] actual = device.Download(dx);

        int[] shape = [k.N, s.Channels, s.InHeight, s.InWidth];
        TensorAssert.MaxAbsRelative("gradient against the naive op", expected, actual, 1e-6, shape);
        TensorAssert.Identical("gradient against the CPU kernel (same additions, same order)", cpu, actual, shape);
    }
}
