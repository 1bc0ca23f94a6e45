namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// How one pass addresses the GEMM C (rows x columns) = A (rows x depth) * B (depth x columns) that
/// <see cref="GpuGemmTile"/> runs: the passes differ only here (transposes, the batch folded into columns or depth,
/// im2col addressing, how C is written). Implemented by structs, so ILGPU resolves and inlines every call.
/// </summary>
public interface IGemmOperands
{
    /// <summary>A[row, k]; called only inside the matrix.</summary>
    float A(int row, int k);

    /// <summary>B[k, column]; called only inside the matrix.</summary>
    float B(int k, int column);

    /// <summary>Writes (=, += or an atomic add, as the pass needs) C[row, column]; called only inside the matrix.</summary>
    void Store(int row, int column, float value);
}
