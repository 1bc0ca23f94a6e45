namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// 1x1, stride-1 convolution: per image, Y (Cout x HW) = W (Cout x Cin) * X (Cin x HW), a plain GEMM on the NCHW
/// planes. Images run one after another; each GEMM is parallel inside.
/// </summary>
public static unsafe class Pointwise
{
    /// <summary>y = W x for each image (y is overwritten).</summary>
    public static void Forward(float* x, float* w, float* y, int batch, int inChannels, int outChannels, int spatial)
    {
        for (int n = 0; n < batch; n++)
        {
            Gemm.Multiply(outChannels, spatial, inChannels,
                w, inChannels, transA: false,
                x + (long)n * inChannels * spatial, spatial, transB: false,
                y + (long)n * outChannels * spatial, spatial, accumulate: false);
        }
    }

    /// <summary>dx (= or +=) W^T dy for each image.</summary>
    public static void BackwardData(float* dy, float* w, float* dx, int batch, int inChannels, int outChannels, int spatial, bool accumulate)
    {
        for (int n = 0; n < batch; n++)
        {
            Gemm.Multiply(inChannels, spatial, outChannels,
                w, inChannels, transA: true,
                dy + (long)n * outChannels * spatial, spatial, transB: false,
                dx + (long)n * inChannels * spatial, spatial, accumulate);
        }
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
