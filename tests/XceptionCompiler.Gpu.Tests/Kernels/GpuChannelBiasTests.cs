using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>GpuChannelBias on the CPU accelerator against the naive op; gradients start non-zero so += shows.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuChannelBiasTests(CpuAccelerator cpu)
{
    // More pixels per channel than a group has threads, so every thread sums several.
    private const int Channels = 5, Spatial = 97;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ForwardAddsTheBiasOfEachChannel(int n)
    {
        float[] bias = TensorRandom.Uniform(Channels, seed: 1);
        float[] expected = TensorRandom.Uniform(n * Channels * Spatial, seed: 2);
        using var yBuffer = cpu.Upload(expected);
        using var biasBuffer = cpu.Upload(bias);
        NaiveOps.ChannelBiasForward<float>(expected, bias, n, Channels, Spatial);

        cpu.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(Forward)(
            GpuChannelBias.ForwardConfig(n, Channels, Spatial), yBuffer.View, biasBuffer.View, n);

        TensorAssert.RelativeL2("bias y", expected, cpu.Download(yBuffer), 1e-6, [n, Channels, Spatial]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BackwardAccumulatesTheChannelSums(int n)
    {
        float[] dy = TensorRandom.Uniform(n * Channels * Spatial, seed: 3);
        float[] expected = TensorRandom.Uniform(Channels, seed: 4);
        using var dyBuffer = cpu.Upload(dy);
        using var dBiasBuffer = cpu.Upload(expected);
        NaiveOps.ChannelBiasBackward<float>(dy, expected, n, Channels, Spatial);

        cpu.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(Backward)(
            GpuChannelBias.BackwardConfig(n, Channels, Spatial), dyBuffer.View, dBiasBuffer.View, n);

        TensorAssert.RelativeL2("bias dB", expected, cpu.Download(dBiasBuffer), 1e-5, [Channels]);
    }

    private static void Forward(ArrayView<float> y, ArrayView<float> bias, int n) =>
        GpuChannelBias.Forward(y, bias, n, Channels, Spatial);

    private static void Backward(ArrayView<float> dy, ArrayView<float> dBias, int n) =>
        GpuChannelBias.Backward(dy, dBias, n, Channels, Spatial);
}
