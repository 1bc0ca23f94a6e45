using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// GpuDense on the CPU accelerator against the naive op: features that are not tile multiples (more inputs than a
/// tile is deep and wide), with and without bias, data gradient written and accumulated, gradients starting non-zero.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuDenseTests(CpuAccelerator cpu)
{
    private const int In = 70, Out = 33;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ForwardMatchesNaive(int n)
    {
        CheckForward(n, Load(ForwardWithBias), hasBias: true);
        CheckForward(n, Load(ForwardWithoutBias), hasBias: false);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public void BackwardDataMatchesNaive(int n, bool accumulate)
    {
        (float[] x, float[] weight, float[] dy) = Problem(n);
        float[] expected = TensorRandom.Uniform(n * In, seed: 24);
        using var dyBuffer = cpu.Upload(dy);
        using var weightBuffer = cpu.Upload(weight);
        using var dxBuffer = cpu.Upload(expected);
        NaiveOps.DenseBackward<float>(dy, x, weight, expected, new float[Out * In], [], n, In, Out, accumulate);

        Load(accumulate ? BackwardDataAccumulate : BackwardData)(
            GpuDense.BackwardDataConfig(n, In, Out), dyBuffer.View, weightBuffer.View, dxBuffer.View, n);

        TensorAssert.RelativeL2($"dense dx (accumulate {accumulate})", expected, cpu.Download(dxBuffer), 1e-5, [n, In]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BackwardParametersMatchNaive(int n)
    {
        CheckBackwardParameters(n, hasBias: true);
        CheckBackwardParameters(n, hasBias: false);
    }

    private void CheckForward(int n, Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel, bool hasBias)
    {
        (float[] x, float[] weight, _) = Problem(n);
        float[] bias = hasBias ? TensorRandom.Uniform(Out, seed: 25) : [];
        var expected = new float[n * Out];
        NaiveOps.DenseForward<float>(x, weight, bias, expected, n, In, Out);
        using var xBuffer = cpu.Upload(x);
        using var weightBuffer = cpu.Upload(weight);
        using var biasBuffer = cpu.Upload(hasBias ? bias : [0f]);
        using var yBuffer = cpu.Upload(TensorRandom.Uniform(expected.Length, seed: 26));

        kernel(GpuDense.ForwardConfig(n, In, Out), xBuffer.View, weightBuffer.View, hasBias ? biasBuffer.View : default, yBuffer.View, n);

        TensorAssert.RelativeL2($"dense y (bias {hasBias})", expected, cpu.Download(yBuffer), 1e-5, [n, Out]);
    }

    private void CheckBackwardParameters(int n, bool hasBias)
    {
        (float[] x, float[] weight, float[] dy) = Problem(n);
        float[] expectedWeight = TensorRandom.Uniform(Out * In, seed: 27);
        float[] expectedBias = hasBias ? TensorRandom.Uniform(Out, seed: 28) : [];
        using var dyBuffer = cpu.Upload(dy);
        using var xBuffer = cpu.Upload(x);
        using var dWeightBuffer = cpu.Upload(expectedWeight);
        using var dBiasBuffer = cpu.Upload(hasBias ? expectedBias : [0f]);
        NaiveOps.DenseBackward<float>(dy, x, weight, [], expectedWeight, expectedBias, n, In, Out, accumulate: false);

        Load(hasBias ? BackwardParametersWithBias : BackwardParametersWithoutBias)(GpuDense.BackwardParametersConfig(n, In, Out),
            dyBuffer.View, xBuffer.View, dWeightBuffer.View, hasBias ? dBiasBuffer.View : default, n);

        TensorAssert.RelativeL2($"dense dW (bias {hasBias})", expectedWeight, cpu.Download(dWeightBuffer), 1e-5, [Out, In]);
        if (hasBias)
        {
            TensorAssert.RelativeL2("dense db", expectedBias, cpu.Download(dBiasBuffer), 1e-5, [Out]);
        }
    }

    private static (float[] X, float[] Weight, float[] Dy) Problem(int n) =>
        (TensorRandom.Uniform(n * In, seed: 21), TensorRandom.Uniform(Out * In, seed: 22), TensorRandom.Uniform(n * Out, seed: 23));

    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Load(
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel) => cpu.Accelerator.LoadStreamKernel(kernel);

    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Load(
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel) => cpu.Accelerator.LoadStreamKernel(kernel);

    private static void ForwardWithBias(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> bias, ArrayView<float> y, int n) =>
        GpuDense.Forward(x, weight, bias, y, n, In, Out, hasBias: true);

    private static void ForwardWithoutBias(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> bias, ArrayView<float> y, int n) =>
        GpuDense.Forward(x, weight, bias, y, n, In, Out, hasBias: false);

    private static void BackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, int n) =>
        GpuDense.BackwardData(dy, weight, dx, n, In, Out, accumulate: false);

    private static void BackwardDataAccumulate(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, int n) =>
        GpuDense.BackwardData(dy, weight, dx, n, In, Out, accumulate: true);

    private static void BackwardParametersWithBias(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, ArrayView<float> dBias, int n) =>
        GpuDense.BackwardParameters(dy, x, dWeight, dBias, n, In, Out, hasBias: true);

    private static void BackwardParametersWithoutBias(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, ArrayView<float> dBias, int n) =>
        GpuDense.BackwardParameters(dy, x, dWeight, dBias, n, In, Out, hasBias: false);
}
