namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// 1x1, stride-1 convolution: per image, Y (Cout x HW) = W (Cout x Cin) * X (Cin x HW), a plain GEMM on the NCHW
/// planes. Forward and data gradient are one batched GEMM (W is packed once for the whole batch); the weight
/// gradient sums one GEMM per image.
/// </summary>
public static unsafe class Pointwise
{
    /// <summary>y = W x for each image, then the <paramref name="epilogue"/> when there is one (y is overwritten).</summary>
    public static void Forward(float* x, float* w, float* y, int batch, int inChannels, int outChannels, int spatial,
        OutputEpilogue epilogue = default)
    {
        Gemm.MultiplyBatch(batch, (long)outChannels * spatial, outChannels, spatial, inChannels, w, inChannels, transA: false,
            new MatrixPanels(x, spatial, transB: false, (long)inChannels * spatial), y, spatial, accumulate: false,
            GemmMicroKernels.Current, epilogue);
    }

    /// <summary>dx (= or +=) W^T dy for each image.</summary>
    public static void BackwardData(float* dy, float* w, float* dx, int batch, int inChannels, int outChannels, int spatial, bool accumulate)
    {
        Gemm.MultiplyBatch(batch, (long)outChannels * spatial, (long)inChannels * spatial,
            inChannels, spatial, outChannels, w, inChannels, transA: true,
            dy, spatial, transB: false, dx, spatial, accumulate);
    }

    /// <summary>dW += dy x^T summed over the batch.</summary>
    public static void BackwardWeights(float* dy, float* x, float* dw, int batch, int inChannels, int outChannels, int spatial)
    {
        for (int n = 0; n < batch; n++)
        {
            Gemm.Multiply(outChannels, inChannels, spatial,
                dy + (long)n * outChannels * spatial, spatial, transA: false,
                x + (long)n * inChannels * spatial, spatial, transB: true,
                dw, inChannels, accumulate: true);
        }
    }
}
