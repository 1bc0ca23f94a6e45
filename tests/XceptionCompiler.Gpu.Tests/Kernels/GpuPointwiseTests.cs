using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// GpuPointwise on the CPU accelerator (its FMA path) against the naive op: shapes that are not tile multiples,
/// one image and several, data gradient written and accumulated.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuPointwiseTests(CpuAccelerator cpu)
{
    // Smaller than a tile in every dimension; and larger than one in rows, columns and depth with ragged edges.
    private const int SmallIn = 7, SmallOut = 5, SmallSpatial = 13;
    private const int LargeIn = 70, LargeOut = 33, LargeSpatial = 150;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SmallMatchesNaive(int n)
    {
        var run = new PointwiseRun(cpu, n, SmallIn, SmallOut, SmallSpatial);
        run.CheckForward(Load(SmallForward));
        run.CheckBackwardData(Load(SmallBackwardData), accumulate: false);
        run.CheckBackwardData(Load(SmallBackwardDataAccumulate), accumulate: true);
        run.CheckBackwardWeights(Load(SmallBackwardWeights));
    }

    [Fact]
    public void LargerThanATileMatchesNaive()
    {
        var run = new PointwiseRun(cpu, 3, LargeIn, LargeOut, LargeSpatial);
        run.CheckForward(Load(LargeForward));
        run.CheckBackwardData(Load(LargeBackwardDataAccumulate), accumulate: true);
        run.CheckBackwardWeights(Load(LargeBackwardWeights));
    }

    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Load(
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel) => cpu.Accelerator.LoadStreamKernel(kernel);

    private static void SmallForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuPointwise.Forward(x, weight, y, n, SmallIn, SmallOut, SmallSpatial);

    private static void SmallBackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, int n) =>
        GpuPointwise.BackwardData(dy, weight, dx, n, SmallIn, SmallOut, SmallSpatial, accumulate: false);

    private static void SmallBackwardDataAccumulate(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, int n) =>
        GpuPointwise.BackwardData(dy, weight, dx, n, SmallIn, SmallOut, SmallSpatial, accumulate: true);

    private static void SmallBackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n) =>
        GpuPointwise.BackwardWeights(dy, x, dWeight, n, SmallIn, SmallOut, SmallSpatial);

    private static void LargeForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuPointwise.Forward(x, weight, y, n, LargeIn, LargeOut, LargeSpatial);

    private static void LargeBackwardDataAccumulate(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, int n) =>
        GpuPointwise.BackwardData(dy, weight, dx, n, LargeIn, LargeOut, LargeSpatial, accumulate: true);

    private static void LargeBackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n) =>
        GpuPointwise.BackwardWeights(dy, x, dWeight, n, LargeIn, LargeOut, LargeSpatial);
}
