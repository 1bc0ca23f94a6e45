namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Shape of a dense convolution for one image: input C x H x W, output C x H x W, kernel size, stride and the
/// top/left zero padding. Bottom/right padding follow from the output size and may differ from top/left
/// (TensorFlow 'same' with stride 2 pads only at the bottom/right).
/// </summary>
public readonly record struct ConvShape(
    int InChannels, int InHeight, int InWidth,
    int OutChannels, int OutHeight, int OutWidth,
    int KernelHeight, int KernelWidth, int Stride, int PadTop, int PadLeft);
