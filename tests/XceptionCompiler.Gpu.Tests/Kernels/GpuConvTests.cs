using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// GpuConv on the CPU accelerator against the naive op, with the shape passed as a ConvShape constant exactly as
/// the generator writes it: the stem (3x3 stride 2, valid), a strided 1x1 skip, a 3x3 pad-1 convolution of a ReLU
/// input, and a 3x3 stride-2 convolution whose window hangs over the bottom/right edge (TensorFlow 'same').
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuConvTests(CpuAccelerator cpu)
{
    // The kernels below repeat these literals: the generator writes each shape as a constant inside the kernel.
    private static readonly ConvShape Stem = new(3, 9, 9, 5, 4, 4, 3, 3, 2, 0, 0);
    private static readonly ConvShape Skip = new(6, 7, 7, 9, 4, 4, 1, 1, 2, 0, 0);
    private static readonly ConvShape Padded = new(4, 6, 5, 3, 6, 5, 3, 3, 1, 1, 1);
    private static readonly ConvShape Overhang = new(2, 8, 8, 3, 4, 4, 3, 3, 2, 0, 0);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StemMatchesNaive(int n)
    {
        var run = new ConvRun(cpu, n, Stem, reluInput: false);
        run.CheckForward(Load(StemForward));
        run.CheckBackwardData(Load(StemBackwardData), accumulate: false);
        run.CheckBackwardWeights(Load(StemBackwardWeights));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void StridedSkipOfAReluInputMatchesNaive(int n)
    {
        var run = new ConvRun(cpu, n, Skip, reluInput: true);
        run.CheckForward(Load(SkipForward));
        run.CheckBackwardData(Load(SkipBackwardDataAccumulate), accumulate: true);
        run.CheckBackwardWeights(Load(SkipBackwardWeights));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PaddedReluInputMatchesNaive(int n)
    {
        var run = new ConvRun(cpu, n, Padded, reluInput: true);
        run.CheckForward(Load(PaddedForward));
        run.CheckBackwardData(Load(PaddedBackwardData), accumulate: false);
        run.CheckBackwardData(Load(PaddedBackwardDataAccumulate), accumulate: true);
        run.CheckBackwardWeights(Load(PaddedBackwardWeights));
    }

    [Fact]
    public void WindowOverhangingTheBottomRightMatchesNaive()
    {
        var run = new ConvRun(cpu, 2, Overhang, reluInput: false);
        run.CheckForward(Load(OverhangForward));
        run.CheckBackwardData(Load(OverhangBackwardDataAccumulate), accumulate: true);
        run.CheckBackwardWeights(Load(OverhangBackwardWeights));
    }

    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Load(
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel) => cpu.Accelerator.LoadStreamKernel(kernel);

    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Load(
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel) => cpu.Accelerator.LoadStreamKernel(kernel);

    private static void StemForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuConv.Forward(x, weight, y, n, new ConvShape(3, 9, 9, 5, 4, 4, 3, 3, 2, 0, 0), reluInput: false);

    private static void StemBackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuConv.BackwardData(dy, weight, x, dx, n, new ConvShape(3, 9, 9, 5, 4, 4, 3, 3, 2, 0, 0), reluInput: false, accumulate: false);

    private static void StemBackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n) =>
        GpuConv.BackwardWeights(dy, x, dWeight, n, new ConvShape(3, 9, 9, 5, 4, 4, 3, 3, 2, 0, 0), reluInput: false);

    private static void SkipForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuConv.Forward(x, weight, y, n, new ConvShape(6, 7, 7, 9, 4, 4, 1, 1, 2, 0, 0), reluInput: true);

    private static void SkipBackwardDataAccumulate(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuConv.BackwardData(dy, weight, x, dx, n, new ConvShape(6, 7, 7, 9, 4, 4, 1, 1, 2, 0, 0), reluInput: true, accumulate: true);

    private static void SkipBackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n) =>
        GpuConv.BackwardWeights(dy, x, dWeight, n, new ConvShape(6, 7, 7, 9, 4, 4, 1, 1, 2, 0, 0), reluInput: true);

    private static void PaddedForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuConv.Forward(x, weight, y, n, new ConvShape(4, 6, 5, 3, 6, 5, 3, 3, 1, 1, 1), reluInput: true);

    private static void PaddedBackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuConv.BackwardData(dy, weight, x, dx, n, new ConvShape(4, 6, 5, 3, 6, 5, 3, 3, 1, 1, 1), reluInput: true, accumulate: false);

    private static void PaddedBackwardDataAccumulate(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuConv.BackwardData(dy, weight, x, dx, n, new ConvShape(4, 6, 5, 3, 6, 5, 3, 3, 1, 1, 1), reluInput: true, accumulate: true);

    private static void PaddedBackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n) =>
        GpuConv.BackwardWeights(dy, x, dWeight, n, new ConvShape(4, 6, 5, 3, 6, 5, 3, 3, 1, 1, 1), reluInput: true);

    private static void OverhangForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuConv.Forward(x, weight, y, n, new ConvShape(2, 8, 8, 3, 4, 4, 3, 3, 2, 0, 0), reluInput: false);

    private static void OverhangBackwardDataAccumulate(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> x, ArrayView<float> dx, int n) =>
        GpuConv.BackwardData(dy, weight, x, dx, n, new ConvShape(2, 8, 8, 3, 4, 4, 3, 3, 2, 0, 0), reluInput: false, accumulate: true);

    private static void OverhangBackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n) =>
        GpuConv.BackwardWeights(dy, x, dWeight, n, new ConvShape(2, 8, 8, 3, 4, 4, 3, 3, 2, 0, 0), reluInput: false);
}
