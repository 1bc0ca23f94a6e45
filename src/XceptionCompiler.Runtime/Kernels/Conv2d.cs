using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Dense K x K convolution with any stride and zero padding (the stem convolutions and strided 1x1 skip
/// convolutions), as a GEMM over each image's column matrix (<see cref="ColumnMatrix"/>):
/// Y (Cout x OH*OW) = W (Cout x Cin*KH*KW) * cols. The forward and the weight gradient never store the column
/// matrix (<see cref="ColumnPanels"/> gathers it as the GEMM packs it); the data gradient's workspace holds one
/// image's column-matrix gradient before it is summed back onto the input. On the AVX-512 path a 3x3 stride-1
/// convolution with enough channels (Xception's second stem convolution) takes Winograd's F(2x2, 3x3) instead, forward
/// and data gradient (<see cref="WinogradConv"/>): 2.25 times fewer multiply-adds, and no column matrix at all.
/// </summary>
public static unsafe class Conv2d
{
    /// <summary>Floats of workspace <see cref="BackwardData"/> needs: one image's column matrix.</summary>
    public static long WorkspaceFloats(in ConvShape s) =>
        (long)s.InChannels * s.KernelHeight * s.KernelWidth * s.OutHeight * s.OutWidth;

    /// <summary>
    /// y = W * f(x), f = ReLU when <paramref name="reluInput"/> (x is not modified), then the
    /// <paramref name="epilogue"/> when there is one.
    /// </summary>
    public static void Forward(float* x, float* w, float* y, int batch, in ConvShape s, bool reluInput, OutputEpilogue epilogue = default)
    {
        if (WinogradConv.Applies(s))
        {
            WinogradConv.Forward(x, w, y, batch, s, reluInput, epilogue);
            return;
        }

        int k = s.InChannels * s.KernelHeight * s.KernelWidth;
        int outSpatial = s.OutHeight * s.OutWidth;
        Gemm.MultiplyBatch(batch, (long)s.OutChannels * outSpatial, s.OutChannels, outSpatial, k, w, k, false,
            new ColumnPanels(x, s, reluInput, transposed: false), y, outSpatial, accumulate: false, GemmMicroKernels.Current, epilogue);
    }

    /// <summary>dx (= or +=) (W^T dy scattered back to the input) * (reluInput ? x &gt; 0 : 1).</summary>
    public static void BackwardData(float* dy, float* w, float* x, float* dx, int batch, in ConvShape s, bool reluInput, bool accumulate, float* workspace)
    {
        if (WinogradConv.AppliesToBackwardData(s))
        {
            WinogradConv.BackwardData(dy, w, x, dx, batch, s, reluInput, accumulate);
            return;
        }

        int k = s.InChannels * s.KernelHeight * s.KernelWidth;
        int outSpatial = s.OutHeight * s.OutWidth;
        long inPlane = (long)s.InChannels * s.InHeight * s.InWidth;
        for (int n = 0; n < batch; n++)
        {
            float* dyImage = dy + (long)n * s.OutChannels * outSpatial;
            if (IsIdentityLowering(s) && !reluInput)
            {
                Gemm.Multiply(k, outSpatial, s.OutChannels, w, k, true, dyImage, outSpatial, false, dx + n * inPlane, outSpatial, accumulate);
                continue;
            }

            Gemm.Multiply(k, outSpatial, s.OutChannels, w, k, true, dyImage, outSpatial, false, workspace, outSpatial, accumulate: false);
            ColumnMatrix.ScatterAdd(workspace, reluInput ? x + n * inPlane : null, dx + n * inPlane, s, accumulate);
        }
    }

    /// <summary>dW += dy * f(x)^T summed over the batch.</summary>
    public static void BackwardWeights(float* dy, float* x, float* dw, int batch, in ConvShape s, bool reluInput)
    {
        int k = s.InChannels * s.KernelHeight * s.KernelWidth;
        int outSpatial = s.OutHeight * s.OutWidth;
        long inImage = (long)s.InChannels * s.InHeight * s.InWidth;
        for (int n = 0; n < batch; n++)
        {
            Gemm.MultiplyBatch(1, 0, s.OutChannels, k, outSpatial, dy + (long)n * s.OutChannels * outSpatial, outSpatial, false,
                new ColumnPanels(x + n * inImage, s, reluInput, transposed: true), dw, k, accumulate: true, GemmMicroKernels.Current);
        }
    }

    // A 1x1, stride-1, unpadded convolution's column matrix is its input.
    private static bool IsIdentityLowering(in ConvShape s) =>
        s.KernelHeight == 1 && s.KernelWidth == 1 && s.Stride == 1 && s.PadTop == 0 && s.PadLeft == 0
        && s.OutHeight == s.InHeight && s.OutWidth == s.InWidth;
}
