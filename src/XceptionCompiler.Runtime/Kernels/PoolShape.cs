namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Shape of a K x K pooling window for one image. Padded cells never win a max (they act as -infinity, as in
/// PyTorch); bottom/right padding follow from the output size.
/// </summary>
public readonly record struct PoolShape(
    int Channels, int InHeight, int InWidth, int OutHeight, int OutWidth,
    int Kernel, int Stride, int PadTop, int PadLeft);
