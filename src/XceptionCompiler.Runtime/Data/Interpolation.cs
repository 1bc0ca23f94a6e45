namespace XceptionCompiler.Runtime.Data;

/// <summary>Resampling filters, by MindCV's interpolation names.</summary>
public enum Interpolation
{
    Nearest,
    Bilinear,
    Bicubic,

    /// <summary>A box filter: each output pixel averages the source pixels it covers (good for large reductions).</summary>
    Area,
}
