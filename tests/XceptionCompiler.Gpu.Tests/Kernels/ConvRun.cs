using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// One convolution problem (random x with negatives, so a ReLU input matters; weight; dy; non-zero starting
/// gradients so accumulation shows): runs a loaded pass kernel with GpuConv's launch configuration and compares it
/// with the naive op.
/// </summary>
internal sealed class ConvRun(CpuAccelerator cpu, int n, ConvShape s, bool reluInput, double tolerance = 1e-5)
{
    private readonly float[] x = TensorRandom.Uniform(n * s.InChannels * s.InHeight * s.InWidth, seed: 11);
    private readonly float[] weight = TensorRandom.Uniform(s.OutChannels * s.InChannels * s.KernelHeight * s.KernelWidth, seed: 12);
    private readonly float[] dy = TensorRandom.Uniform(n * s.OutChannels * s.OutHeight * s.OutWidth, seed: 13);

    public void CheckForward(Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel)
    {
        var expected = new float[dy.Length];
        NaiveOps.Conv2dForward<float>(x, weight, expected, n, s, reluInput);
        using var xBuffer = cpu.Upload(x);
        using var weightBuffer = cpu.Upload(weight);
        using var yBuffer = cpu.Upload(TensorRandom.Uniform(expected.Length, seed: 14));
        kernel(GpuConv.ForwardConfig(n, s), xBuffer.View, weightBuffer.View, yBuffer.View, n);
        TensorAssert.RelativeL2("conv y", expected, cpu.Download(yBuffer), tolerance, [n, s.OutChannels, s.OutHeight, s.OutWidth]);
    }

    public void CheckBackwardData(Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel, bool accumulate)
    {
        float[] expected = TensorRandom.Uniform(x.Length, seed: 15);
        using var dyBuffer = cpu.Upload(dy);
        using var weightBuffer = cpu.Upload(weight);
        using var xBuffer = cpu.Upload(x);
        using var dxBuffer = cpu.Upload(expected);
        NaiveOps.Conv2dBackwardData<float>(dy, weight, x, expected, n, s, reluInput, accumulate);
        kernel(GpuConv.BackwardDataConfig(n, s), dyBuffer.View, weightBuffer.View, xBuffer.View, dxBuffer.View, n);
        TensorAssert.RelativeL2($"conv dx (accumulate {accumulate})", expected, cpu.Download(dxBuffer), tolerance,
            [n, s.InChannels, s.InHeight, s.InWidth]);
    }

    public void CheckBackwardWeights(Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel)
    {
        float[] expected = TensorRandom.Uniform(weight.Length, seed: 16);
        using var dyBuffer = cpu.Upload(dy);
        using var xBuffer = cpu.Upload(x);
        using var dWeightBuffer = cpu.Upload(expected);
        NaiveOps.Conv2dBackwardWeights<float>(dy, x, expected, n, s, reluInput);
        kernel(GpuConv.BackwardWeightsConfig(n, s), dyBuffer.View, xBuffer.View, dWeightBuffer.View, n);
        TensorAssert.RelativeL2("conv dW", expected, cpu.Download(dWeightBuffer), tolerance,
            [s.OutChannels, s.InChannels, s.KernelHeight, s.KernelWidth]);
    }
}
