using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Dense convolution with any kernel, stride and padding (the stem, the strided 1x1 skips), weight
/// [Cout, Cin, KH, KW], optionally reading a ReLU of its input: implicit GEMM on <see cref="GpuGemmTile"/>, the
/// im2col (or, for the data gradient, col2im) addressing done by the operand loaders, so no column buffer exists.
/// Semantics of the CPU kernel Kernels/Conv2d.cs.
/// </summary>
public static class GpuConv
{
    /// <summary>y = W * f(x), f = ReLU when <paramref name="reluInput"/> (y is overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> y, int n, ConvShape s,
        bool reluInput, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new ConvForwardOperands
        {
            Columns = new ConvColumns { X = x, Shape = s, ReluInput = reluInput }, Weight = weight, Y = y,
        };
        GpuGemmTile.Multiply(operands, ForwardSize(n, s), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="Forward"/>.</summary>
    public static KernelConfig ForwardConfig(int n, ConvShape s) => ForwardSize(n, s).Config();

    /// <summary>dx (= or +=) (W^T dy scattered back onto the input) * (reluInput ? x &gt; 0 : 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> x, ArrayView<float> dx,
        int n, ConvShape s, bool reluInput, bool accumulate, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new ConvBackwardDataOperands
        {
            Dy = dy, Weight = weight, X = x, Dx = dx, Shape = s, ReluInput = reluInput, Accumulate = accumulate,
        };
        GpuGemmTile.Multiply(operands, BackwardDataSize(n, s), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="BackwardData"/>.</summary>
    public static KernelConfig BackwardDataConfig(int n, ConvShape s) => BackwardDataSize(n, s).Config();

    /// <summary>dW += dy * f(x)^T summed over the batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, int n, ConvShape s,
        bool reluInput, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new ConvBackwardWeightsOperands
        {
            Columns = new ConvColumns { X = x, Shape = s, ReluInput = reluInput }, Dy = dy, DWeight = dWeight,
        };
        GpuGemmTile.Multiply(operands, BackwardWeightsSize(n, s), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="BackwardWeights"/>.</summary>
    public static KernelConfig BackwardWeightsConfig(int n, ConvShape s) => BackwardWeightsSize(n, s).Config();

    private static GemmSize ForwardSize(int n, ConvShape s) =>
        GemmSize.Whole(s.OutChannels, n * s.OutHeight * s.OutWidth, ConvForwardOperands.Taps(s));

    private static GemmSize BackwardDataSize(int n, ConvShape s) =>
        GemmSize.Whole(s.InChannels, n * s.InHeight * s.InWidth, s.OutChannels * s.KernelHeight * s.KernelWidth);

    private static GemmSize BackwardWeightsSize(int n, ConvShape s) =>
        GemmSize.SplitDepth(s.OutChannels, ConvForwardOperands.Taps(s), n * s.OutHeight * s.OutWidth);
}
