using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Copies blocks of GEMM operands into the panel layouts the micro-kernels stream through: A as panels of
/// <c>rows</c> consecutive rows stored step by step (kc x rows), B as panels of <c>columns</c> consecutive columns
/// stored step by step (kc x columns). Rows or columns past the operand's edge are zero, so edge tiles need no
/// special case in the micro-kernel. Transposition is handled here, by the read pattern: where the panel runs
/// across the source's rows, whole 8 x 8 blocks go through <see cref="BlockTranspose"/>.
/// </summary>
internal static unsafe class GemmPacking
{
    private const int Block = 8;

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
                    CopyRow(a + (long)(p0 + p) * lda + first, dst + p * rows, valid, rows);
                }

                continue;
            }

            int p8 = 0;
            if (valid == Block && rows == Block)
            {
                for (; p8 + Block <= kc; p8 += Block)
                {
                    BlockTranspose.Transpose8x8(a + (long)first * lda + p0 + p8, lda, dst + p8 * rows, rows);
                }
            }

            for (int p = p8; p < kc; p++)
            {
                float* d = dst + p * rows;
                for (int r = 0; r < valid; r++)
                {
                    d[r] = a[(long)(first + r) * lda + p0 + p];
                }

                for (int r = valid; r < rows; r++)
                {
                    d[r] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// Packs columns j0 .. j0+count of op(B)[p0 .. p0+kc, :] into one kc x <paramref name="columns"/> panel, from the
    /// panel column <paramref name="dst"/> points at (step 0) on, where op(B)(p, j) = b[j*ldb + p] (B transposed; an
    /// untransposed B is copied row by row, <see cref="MatrixPanels"/>). A panel may be filled from several sources
    /// (one per image); <see cref="ZeroColumns"/> clears what none fills.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposedB(float* b, int ldb, int p0, int kc, int j0, int count, int columns, float* dst)
    {
        int fullBlocks = count / Block * Block;
        int p8 = kc / Block * Block;
        for (int j8 = 0; j8 < fullBlocks; j8 += Block)
        {
            for (int p = 0; p < p8; p += Block)
            {
                BlockTranspose.Transpose8x8(b + (long)(j0 + j8) * ldb + p0 + p, ldb, dst + p * columns + j8, columns);
            }
        }

        // What the 8 x 8 blocks left: the last steps of every column, then the columns past the last full block.
        for (int p = p8; p < kc; p++)
        {
            for (int j = 0; j < fullBlocks; j++)
            {
                dst[p * columns + j] = b[(long)(j0 + j) * ldb + p0 + p];
            }
        }

        for (int p = 0; p < kc; p++)
        {
            for (int j = fullBlocks; j < count; j++)
            {
                dst[p * columns + j] = b[(long)(j0 + j) * ldb + p0 + p];
            }
        }
    }

    /// <summary>Step 0 of panel column <paramref name="column"/> among consecutive kc x <paramref name="columns"/> panels.</summary>
    public static float* PanelColumn(float* panels, int kc, int columns, int column) =>
        panels + (long)(column / columns) * kc * columns + column % columns;

    /// <summary>Zeroes columns <paramref name="first"/> .. columns-1 of a kc x <paramref name="columns"/> panel.</summary>
    public static void ZeroColumns(int kc, int first, int columns, float* dst)
    {
        for (int p = 0; p < kc; p++)
        {
            new Span<float>(dst + p * columns + first, columns - first).Clear();
        }
    }

    /// <summary>
    /// dst[0 .. valid) = src[0 .. valid) (8 floats per vector; a last vector overlapping the one before when valid is
    /// at least 8), dst[valid .. width) = 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyRow(float* src, float* dst, int valid, int width)
    {
        int j = 0;
        for (; j + Block <= valid; j += Block)
        {
            Vector256.Store(Vector256.Load(src + j), dst + j);
        }

        if (j < valid && valid >= Block)
        {
            Vector256.Store(Vector256.Load(src + valid - Block), dst + valid - Block);
            j = valid;
        }

        for (; j < valid; j++)
        {
            dst[j] = src[j];
        }

        for (; j < width; j++)
        {
            dst[j] = 0f;
        }
    }
}
