using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// One pointwise problem (random x, weight, dy, and a non-zero starting gradient so accumulation shows): runs a
/// loaded pass kernel with the op's launch configuration and compares it with the naive op.
/// </summary>
internal sealed class PointwiseRun(CpuAccelerator cpu, int n, int inChannels, int outChannels, int spatial, double tolerance = 1e-5)
{
    private readonly float[] x = TensorRandom.Uniform(n * inChannels * spatial, seed: 1);
    private readonly float[] weight = TensorRandom.Uniform(outChannels * inChannels, seed: 2);
    private readonly float[] dy = TensorRandom.Uniform(n * outChannels * spatial, seed: 3);

    public void CheckForward(Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel)
    {
        var expected = new float[n * outChannels * spatial];
        NaiveOps.PointwiseForward<float>(x, weight, expected, n, inChannels, outChannels, spatial);
        using var xBuffer = cpu.Upload(x);
        using var weightBuffer = cpu.Upload(weight);
        using var yBuffer = cpu.Upload(TensorRandom.Uniform(expected.Length, seed: 4));
        kernel(GpuPointwise.ForwardConfig(n, inChannels, outChannels, spatial), xBuffer.View, weightBuffer.View, yBuffer.View, n);
        TensorAssert.RelativeL2("pointwise y", expected, cpu.Download(yBuffer), tolerance, [n, outChannels, spatial]);
    }

    public void CheckBackwardData(Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel, bool accumulate)
    {
        float[] expected = TensorRandom.Uniform(n * inChannels * spatial, seed: 5);
        using var dyBuffer = cpu.Upload(dy);
        using var weightBuffer = cpu.Upload(weight);
        using var dxBuffer = cpu.Upload(expected);
        NaiveOps.PointwiseBackwardData<float>(dy, weight, expected, n, inChannels, outChannels, spatial, accumulate);
        kernel(GpuPointwise.BackwardDataConfig(n, inChannels, outChannels, spatial), dyBuffer.View, weightBuffer.View, dxBuffer.View, n);
        TensorAssert.RelativeL2($"pointwise dx (accumulate {accumulate})", expected, cpu.Download(dxBuffer), tolerance, [n, inChannels, spatial]);
    }

    public void CheckBackwardWeights(Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel)
    {
        float[] expected = TensorRandom.Uniform(outChannels * inChannels, seed: 6);
        using var dyBuffer = cpu.Upload(dy);
        using var xBuffer = cpu.Upload(x);
        using var dWeightBuffer = cpu.Upload(expected);
        NaiveOps.PointwiseBackwardWeights<float>(dy, x, expected, n, inChannels, outChannels, spatial);
        kernel(GpuPointwise.BackwardWeightsConfig(n, inChannels, outChannels, spatial), dyBuffer.View, xBuffer.View, dWeightBuffer.View, n);
        TensorAssert.RelativeL2("pointwise dW", expected, cpu.Download(dWeightBuffer), tolerance, [outChannels, inChannels]);
    }
}
