namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// A separable convolution's forward: the depthwise K x K convolution, then the pointwise 1x1 one, as one GEMM whose
/// B panels the depthwise convolution computes (<see cref="DepthwisePanels"/>). The depthwise output is never
/// written to memory; the result is bit for bit <see cref="Depthwise.Forward"/> followed by
/// <see cref="Pointwise.Forward"/>, whatever the thread count.
/// </summary>
public static unsafe class Separable
{
    /// <summary>
    /// y = pointwise(depthwise(f(x), depthwiseWeights), pointwiseWeights) for each image, f as in
    /// <see cref="Depthwise.Forward"/> (the prologue, then ReLU when <paramref name="reluInput"/>), then the
    /// <paramref name="epilogue"/> when there is one; y is overwritten.
    /// </summary>
    public static void Forward(float* x, float* depthwiseWeights, float* pointwiseWeights, float* y, int batch, in DepthwiseShape s,
        int outChannels, bool reluInput, ChannelAffine prologue = default, OutputEpilogue epilogue = default)
    {
        int spatial = s.OutHeight * s.OutWidth;
        Gemm.MultiplyBatch(batch, (long)outChannels * spatial, outChannels, spatial, s.Channels,
            pointwiseWeights, s.Channels, transA: false, new DepthwisePanels(x, depthwiseWeights, s, reluInput, prologue),
            y, spatial, accumulate: false, GemmMicroKernels.Current, epilogue);
    }
}
