namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// A per-channel x * scale + shift that a kernel applies to its input as it reads it: a batch norm whose output is
/// never stored, folded into the prologue of the depthwise convolution that consumes it. The batch norm's forward
/// writes scale and shift (<see cref="BatchNorm.TrainStatistics"/>, <see cref="BatchNorm.EvalAffine"/>) with the
/// same float operations its normalisation uses, so the folded input equals the stored one bit for bit.
/// </summary>
public readonly unsafe struct ChannelAffine
{
    public ChannelAffine(float* scale, float* shift)
    {
        Scale = scale;
        Shift = shift;
    }

    /// <summary>No affine map: the input is read as it is.</summary>
    public static ChannelAffine None => default;

    public float* Scale { get; }

    public float* Shift { get; }

    public bool IsNone => Scale == null;

    /// <summary>Channel c's scale and shift; (1, 0), which leave a value as it is, when there is no affine map.</summary>
    public (float Scale, float Shift) ForChannel(int c) => IsNone ? (1f, 0f) : (Scale[c], Shift[c]);
}
