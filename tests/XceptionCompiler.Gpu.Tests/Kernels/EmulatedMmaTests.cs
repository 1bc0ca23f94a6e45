using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// The tensor-core path on the CPU accelerator, its mma.sync emulated lane by lane from the PTX ISA fragment layout:
/// the fragment loads and stores a GPU runs, checked against the naive ops. Emulation is slow (32 shuffles per mma), so
/// the shapes fill about one 64x64 tile and one depth slice: every warp, lane and fragment register, ragged edges.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class EmulatedMmaTests(CpuAccelerator cpu)
{
    private const int In = 13, Out = 61, Spatial = 20, Images = 3;

    [Fact]
    public void PointwiseForwardWith3xTf32MatchesNaive() => new PointwiseRun(cpu, Images, In, Out, Spatial).CheckForward(Load(Forward));

    [Fact]
    public void PointwiseBackwardWeightsWith3xTf32MatchesNaive() =>
        new PointwiseRun(cpu, 1, In, Out, Spatial).CheckBackwardWeights(Load(BackwardWeights));

    [Fact]
    public void PaddedConvWith3xTf32MatchesNaive()
    {
        new ConvRun(cpu, 1, new ConvShape(4, 6, 5, 3, 6, 5, 3, 3, 1, 1, 1), reluInput: true).CheckForward(Load(ConvForward));
    }

    [Fact]
    public void PlainTf32RoundsTheOperands()
    {
        // One TF32 product keeps 11 significant bits: clearly worse than 3xTF32, yet within TF32's own error.
        var run = new PointwiseRun(cpu, Images, In, Out, Spatial, tolerance: 3e-3);
        run.CheckForward(Load(ForwardPlainTf32));
        Assert.Throws<Xunit.Sdk.FailException>(() => new PointwiseRun(cpu, Images, In, Out, Spatial).CheckForward(Load(ForwardPlainTf32)));
    }

    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Load(
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel) => cpu.Accelerator.LoadStreamKernel(kernel);

    private static void Forward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuPointwise.Forward(x, weight, y, n, In, Out, Spatial, splitTf32: true, emulateMma: true);

    private static void ForwardPlainTf32(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuPointwise.Forward(x, weight, y, n, In, Out, Spatial, splitTf32: false, emulateMma: true);

    private static void BackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n) =>
        GpuPointwise.BackwardWeights(dy, x, dWeight, n, In, Out, Spatial, splitTf32: true, emulateMma: true);

    private static void ConvForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuConv.Forward(x, weight, y, n, new ConvShape(4, 6, 5, 3, 6, 5, 3, 3, 1, 1, 1), reluInput: true, splitTf32: true, emulateMma: true);
}
