namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Shape of a depthwise (one filter per channel) K x K convolution for one image. Bottom/right zero padding
/// follow from the output size.
/// </summary>
public readonly record struct DepthwiseShape(
    int Channels, int InHeight, int InWidth, int OutHeight, int OutWidth,
    int Kernel, int Stride, int PadTop, int PadLeft);
