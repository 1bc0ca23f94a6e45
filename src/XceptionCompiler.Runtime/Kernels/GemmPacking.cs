using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Copies blocks of GEMM operands into the panel layouts the micro-kernels stream through: A as panels of
/// <c>rows</c> consecutive rows stored step by step (kc x rows), B as panels of <c>columns</c> consecutive columns
/// stored step by step (kc x columns). Rows or columns past the operand's edge are zero, so edge tiles need no
/// special case in the micro-kernel. Transposition is handled here, by the read pattern.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] where op(A)(i, p) = transA ? a[p*lda + i] : a[i*lda + p];
    /// rows at or past <paramref name="m"/> are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* a, int lda, bool transA, int m, int i0, int mc, int p0, int kc, int rows, float* dst)
    {
        for (int panel = 0; panel < mc; panel += rows, dst += (long)kc * rows)
        {
            int first = i0 + panel;
            int valid = Math.Clamp(m - first, 0, rows);
            if (transA)
            {
                // Consecutive rows of op(A) are contiguous in memory: copy them step by step.
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(p0 + p) * lda + first;
                    float* d = dst + p * rows;
                    for (int r = 0; r < valid; r++)
                    {
                        d[r] = src[r];
                    }

                    for (int r = valid; r < rows; r++)
                    {
                        d[r] = 0f;
                    }
                }
            }
            else
            {
                for (int r = 0; r < valid; r++)
                {
                    float* src = a + (long)(first + r) * lda + p0;
                    for (int p = 0; p < kc; p++)
                    {
                        dst[p * rows + r] = src[p];
                    }
                }

                for (int r = valid; r < rows; r++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        dst[p * rows + r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] where op(B)(p, j) = transB ? b[j*ldb + p] : b[p*ldb + j];
    /// columns at or past <paramref name="n"/> are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* b, int ldb, bool transB, int n, int p0, int kc, int j0, int nc, int columns, float* dst)
    {
        for (int panel = 0; panel < nc; panel += columns, dst += (long)kc * columns)
        {
            int first = j0 + panel;
            int valid = Math.Clamp(n - first, 0, columns);
            if (transB)
            {
                for (int j = 0; j < valid; j++)
                {
                    float* src = b + (long)(first + j) * ldb + p0;
                    for (int p = 0; p < kc; p++)
                    {
                        dst[p * columns + j] = src[p];
                    }
                }

                for (int j = valid; j < columns; j++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        dst[p * columns + j] = 0f;
                    }
                }
            }
            else
            {
                // Consecutive columns of op(B) are contiguous in memory: copy whole panel rows.
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(p0 + p) * ldb + first;
                    float* d = dst + p * columns;
                    new ReadOnlySpan<float>(src, valid).CopyTo(new Span<float>(d, valid));
                    new Span<float>(d + valid, columns - valid).Clear();
                }
            }
        }
    }
}
