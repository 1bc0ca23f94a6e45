namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// What a convolution's GEMM does to each finished row of C (one output channel of one image) before moving on:
/// y = C * scale + shift, plus a residual laid out like C, then ReLU. It is an evaluation-mode batch norm (whose
/// coefficients <see cref="BatchNorm.EvalAffine"/> writes), its residual add and its ReLU fused into the convolution
/// that feeds them, so the convolution's raw output is never stored and read back. The values are bit for bit those
/// of <see cref="BatchNorm.EvalForward"/> on the stored output.
/// </summary>
public readonly unsafe struct OutputEpilogue
{
    private readonly ChannelAffine affine;
    private readonly float* residual;
    private readonly bool relu;

    public OutputEpilogue(ChannelAffine affine, float* residual, bool relu)
    {
        if (affine.IsNone)
        {
            throw new ArgumentException("An epilogue needs the batch norm's scale and shift.", nameof(affine));
        }

        this.affine = affine;
        this.residual = residual;
        this.relu = relu;
    }

    /// <summary>No epilogue: C is left as the product.</summary>
    public static OutputEpilogue None => default;

    public bool IsNone => affine.IsNone;

    /// <summary>
    /// The epilogue of AVX-512 register tiles whose first row is <paramref name="row"/> of the matrix
    /// <paramref name="c"/>, applied as they are stored; <paramref name="add"/> first adds what C holds (the earlier
    /// slices of K).
    /// </summary>
    internal ThroughEpilogue512 ForTiles(int row, float* c, bool add) =>
        new(affine.Scale + row, affine.Shift + row, residual == null ? 0 : (nint)(residual - c), residual != null, add, relu);

    /// <summary>Applies the epilogue in place to c[at .. at+count), which lies in row <paramref name="row"/> of C.</summary>
    internal void Apply(float* c, long at, int row, int count) =>
        VectorRows.AffineRelu(c + at, c + at, count, relu, affine: true, affine.Scale[row], affine.Shift[row], residual == null ? null : residual + at);
}
