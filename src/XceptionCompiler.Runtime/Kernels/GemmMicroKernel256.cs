using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The portable register tile: 6 rows x 16 columns in 12 ymm accumulators, so it fits AVX2's 16 registers.
/// C[Rows x Columns] (= or +=) A-panel * B-panel over kc steps, where the A panel holds Rows floats per step and
/// the B panel Columns floats per step (the layouts <see cref="GemmPacking"/> writes).
/// </summary>
internal static unsafe class GemmMicroKernel256
{
    public const int Rows = 6;
    public const int Columns = 16;

    /// <summary>Computes one full tile; <paramref name="add"/> adds to C instead of overwriting it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector256<float> c00 = default; Vector256<float> c01 = default;
        Vector256<float> c10 = default; Vector256<float> c11 = default;
        Vector256<float> c20 = default; Vector256<float> c21 = default;
        Vector256<float> c30 = default; Vector256<float> c31 = default;
        Vector256<float> c40 = default; Vector256<float> c41 = default;
        Vector256<float> c50 = default; Vector256<float> c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b + 0);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += Rows;
            b += Columns;
        }

        StoreRow(c, c00, c01, add);
        StoreRow(c + 1 * ldc, c10, c11, add);
        StoreRow(c + 2 * ldc, c20, c21, add);
        StoreRow(c + 3 * ldc, c30, c31, add);
        StoreRow(c + 4 * ldc, c40, c41, add);
        StoreRow(c + 5 * ldc, c50, c51, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> v0, Vector256<float> v1, bool add)
    {
        if (add)
        {
            v0 += Vector256.Load(c + 0);
            v1 += Vector256.Load(c + 8);
        }

        v0.Store(c + 0);
        v1.Store(c + 8);
    }
}
