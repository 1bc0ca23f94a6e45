using ILGPU;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>The sm_80 PTX of the GEMM-based kernels: the tensor-core path is the one a CUDA GPU runs.</summary>
public sealed class GemmPtxTests
{
    [Fact]
    public void PointwiseForwardUsesTensorCoresWith3xTf32()
    {
        string ptx = PtxCompiler.Compile(typeof(GemmPtxTests), nameof(PointwiseForward));

        Assert.Contains("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32", ptx, StringComparison.Ordinal);
        Assert.Contains("cvt.rna.tf32.f32", ptx, StringComparison.Ordinal);
        // 3xTF32: per depth step, each of the warp's four tiles runs three mma (lo*hi, hi*lo, hi*hi).
        Assert.True(Count(ptx, "mma.sync") >= 12, $"expected at least 12 mma.sync, found {Count(ptx, "mma.sync")}");
    }

    [Fact]
    public void ConvShapeConstantIsFoldedIntoTheKernel()
    {
        string ptx = PtxCompiler.Compile(typeof(GemmPtxTests), nameof(StemForward));

        // The kernel takes only its views and n; the shape is immediates, e.g. OH*OW = 149*149 = 22201.
        Assert.Equal(4, Count(ptx, ".param "));
        Assert.Contains(", 22201;", ptx, StringComparison.Ordinal);
        Assert.Contains("mma.sync.aligned.m16n8k8", ptx, StringComparison.Ordinal);
    }

    internal static void StemForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuConv.Forward(x, weight, y, n, new ConvShape(3, 299, 299, 32, 149, 149, 3, 3, 2, 0, 0), reluInput: false);

    internal static void PointwiseForward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n) =>
        GpuPointwise.Forward(x, weight, y, n, 728, 728, 361);

    private static int Count(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
