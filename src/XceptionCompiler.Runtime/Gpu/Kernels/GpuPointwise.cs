using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// 1x1, stride-1 convolution on NCHW tensors, weight [Cout, Cin]: per image a GEMM, run for the whole batch as one
/// <see cref="GpuGemmTile"/> GEMM with the batch folded into the columns (forward, data gradient) or the depth
/// (weight gradient). Semantics of the CPU kernel Kernels/Pointwise.cs.
/// </summary>
public static class GpuPointwise
{
    /// <summary>y[i] = W x[i] for each image (y is overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n,
        int inChannels, int outChannels, int spatial, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new PointwiseForwardOperands
        {
            X = x, Weight = weight, Y = y, InChannels = inChannels, OutChannels = outChannels, Spatial = spatial,
        };
        GpuGemmTile.Multiply(operands, ForwardSize(n, inChannels, outChannels, spatial), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="Forward"/>.</summary>
    public static KernelConfig ForwardConfig(int n, int inChannels, int outChannels, int spatial) =>
        ForwardSize(n, inChannels, outChannels, spatial).Config();

    /// <summary>dx[i] (= or +=) W^T dy[i] for each image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, int n,
        int inChannels, int outChannels, int spatial, bool accumulate, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new PointwiseBackwardDataOperands
        {
            Dy = dy, Weight = weight, Dx = dx, InChannels = inChannels, OutChannels = outChannels, Spatial = spatial,
            Accumulate = accumulate,
        };
        GpuGemmTile.Multiply(operands, BackwardDataSize(n, inChannels, outChannels, spatial), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="BackwardData"/>.</summary>
    public static KernelConfig BackwardDataConfig(int n, int inChannels, int outChannels, int spatial) =>
        BackwardDataSize(n, inChannels, outChannels, spatial).Config();

    /// <summary>dW += sum over images of dy[i] x[i]^T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n,
        int inChannels, int outChannels, int spatial, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new PointwiseBackwardWeightsOperands
        {
            Dy = dy, X = x, DWeight = dWeight, InChannels = inChannels, OutChannels = outChannels, Spatial = spatial,
        };
        GpuGemmTile.Multiply(operands, BackwardWeightsSize(n, inChannels, outChannels, spatial), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="BackwardWeights"/>.</summary>
    public static KernelConfig BackwardWeightsConfig(int n, int inChannels, int outChannels, int spatial) =>
        BackwardWeightsSize(n, inChannels, outChannels, spatial).Config();

    private static GemmSize ForwardSize(int n, int inChannels, int outChannels, int spatial) =>
        GemmSize.Whole(outChannels, n * spatial, inChannels);

    private static GemmSize BackwardDataSize(int n, int inChannels, int outChannels, int spatial) =>
        GemmSize.Whole(inChannels, n * spatial, outChannels);

    private static GemmSize BackwardWeightsSize(int n, int inChannels, int outChannels, int spatial) =>
        GemmSize.SplitDepth(outChannels, inChannels, n * spatial);
}
