using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The AVX-512 register tile: 8 rows x 32 columns in 16 zmm accumulators, one broadcast of A per row and step.
/// C[Rows x Columns] (= or +=) A * B-panel over kc steps, where the B panel holds Columns floats per step (the layout
/// <see cref="GemmPacking"/> writes) and A is read through a row and a step stride, packed or in place.
/// </summary>
internal static unsafe class GemmMicroKernel512
{
    public const int Rows = 8;
    public const int Columns = 32;

    /// <summary>
    /// Computes <paramref name="tiles"/> full tiles side by side (the same rows of C, consecutive B panels) and writes
    /// their rows to C through <paramref name="store"/>: one call per run of tiles, not per tile. Row r of A at step p is
    /// a[r * rowStride + p * stepStride]: a packed panel (1, Rows), a row-major matrix read where it is (its pitch, 1)
    /// or a transposed one (1, its pitch).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TStore>(int tiles, int kc, float* a, nint rowStride, nint stepStride, float* b, float* c, nint ldc, TStore store)
        where TStore : struct, ITileStore512
    {
        float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
        float* a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride;
        // The panels are consecutive, so b runs on from one tile's panel into the next one's.
        for (float* end = c + (nint)tiles * Columns; c < end; c += Columns)
        {
            Vector512<float> c00 = default; Vector512<float> c01 = default;
            Vector512<float> c10 = default; Vector512<float> c11 = default;
            Vector512<float> c20 = default; Vector512<float> c21 = default;
            Vector512<float> c30 = default; Vector512<float> c31 = default;
            Vector512<float> c40 = default; Vector512<float> c41 = default;
            Vector512<float> c50 = default; Vector512<float> c51 = default;
            Vector512<float> c60 = default; Vector512<float> c61 = default;
            Vector512<float> c70 = default; Vector512<float> c71 = default;
            store.Prepare(c, ldc);
            nint step = 0;
            for (int p = 0; p < kc; p++, step += stepStride)
            {
                Vector512<float> b0 = Vector512.Load(b + 0);
                Vector512<float> b1 = Vector512.Load(b + 16);
                Vector512<float> v = Vector512.Create(a0[step]);
                c00 = Vector512.FusedMultiplyAdd(v, b0, c00);
                c01 = Vector512.FusedMultiplyAdd(v, b1, c01);
                v = Vector512.Create(a1[step]);
                c10 = Vector512.FusedMultiplyAdd(v, b0, c10);
                c11 = Vector512.FusedMultiplyAdd(v, b1, c11);
                v = Vector512.Create(a2[step]);
                c20 = Vector512.FusedMultiplyAdd(v, b0, c20);
                c21 = Vector512.FusedMultiplyAdd(v, b1, c21);
                v = Vector512.Create(a3[step]);
                c30 = Vector512.FusedMultiplyAdd(v, b0, c30);
                c31 = Vector512.FusedMultiplyAdd(v, b1, c31);
                v = Vector512.Create(a4[step]);
                c40 = Vector512.FusedMultiplyAdd(v, b0, c40);
                c41 = Vector512.FusedMultiplyAdd(v, b1, c41);
                v = Vector512.Create(a5[step]);
                c50 = Vector512.FusedMultiplyAdd(v, b0, c50);
                c51 = Vector512.FusedMultiplyAdd(v, b1, c51);
                v = Vector512.Create(a6[step]);
                c60 = Vector512.FusedMultiplyAdd(v, b0, c60);
                c61 = Vector512.FusedMultiplyAdd(v, b1, c61);
                v = Vector512.Create(a7[step]);
                c70 = Vector512.FusedMultiplyAdd(v, b0, c70);
                c71 = Vector512.FusedMultiplyAdd(v, b1, c71);
                b += Columns;
            }

            store.Store(c, 0, c00, c01);
            store.Store(c + 1 * ldc, 1, c10, c11);
            store.Store(c + 2 * ldc, 2, c20, c21);
            store.Store(c + 3 * ldc, 3, c30, c31);
            store.Store(c + 4 * ldc, 4, c40, c41);
            store.Store(c + 5 * ldc, 5, c50, c51);
            store.Store(c + 6 * ldc, 6, c60, c61);
            store.Store(c + 7 * ldc, 7, c70, c71);
        }
    }

    /// <summary>
    /// Columns 0..15 of a tile only, overwriting C (A addressed as in <see cref="Run"/>): a batch's last tile is often
    /// narrow (9 of 32 columns at 19 x 19), and half the accumulators do its work in half the time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunLeftHalf(int kc, float* a, nint rowStride, nint stepStride, float* b, float* c, nint ldc)
    {
        float* a0 = a, a1 = a + rowStride, a2 = a + 2 * rowStride, a3 = a + 3 * rowStride;
        float* a4 = a + 4 * rowStride, a5 = a + 5 * rowStride, a6 = a + 6 * rowStride, a7 = a + 7 * rowStride;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        nint step = 0;
        for (int p = 0; p < kc; p++, step += stepStride)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[step]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[step]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[step]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[step]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[step]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[step]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a6[step]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a7[step]), b0, c7);
            b += Columns;
        }

        c0.Store(c);
        c1.Store(c + 1 * ldc);
        c2.Store(c + 2 * ldc);
        c3.Store(c + 3 * ldc);
        c4.Store(c + 4 * ldc);
        c5.Store(c + 5 * ldc);
        c6.Store(c + 6 * ldc);
        c7.Store(c + 7 * ldc);
    }
}
