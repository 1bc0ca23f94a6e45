using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// How <see cref="GemmMicroKernel512.Run{TStore}"/> writes a finished row of its tile (two vectors) to C. The kernel
/// is generic over the store, so each one is compiled into it with no call or test per row beyond its own.
/// </summary>
internal unsafe interface ITileStore512
{
    /// <summary>Writes row <paramref name="row"/> of the tile, at <paramref name="c"/> in C.</summary>
    void Store(float* c, int row, Vector512<float> v0, Vector512<float> v1);

    /// <summary>Called before the tile at <paramref name="c"/> (rows <paramref name="ldc"/> apart) is computed.</summary>
    void Prepare(float* c, nint ldc);
}

/// <summary>C = the product, or C += it when <see cref="Add"/>.</summary>
internal readonly unsafe struct OverwriteOrAdd512(bool add) : ITileStore512
{
    public bool Add { get; } = add;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prepare(float* c, nint ldc)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* c, int row, Vector512<float> v0, Vector512<float> v1)
    {
        if (Add)
        {
            v0 += Vector512.Load(c + 0);
            v1 += Vector512.Load(c + 16);
        }

        v0.Store(c + 0);
        v1.Store(c + 16);
    }
}

/// <summary>
/// The last slice of K: C (+ the earlier slices' sum in C when <paramref name="add"/>) goes through an
/// <see cref="OutputEpilogue"/> before it is stored, so the tile is not stored, read back and stored again. The
/// operations are those of <see cref="VectorRows.AffineRelu"/>, the epilogue's path for the tiles that do not come
/// here, in the same order, so both give the same bits.
/// </summary>
/// <param name="scale">The scale of the tile's first row (its channel), the next rows' after it.</param>
/// <param name="shift">The shift of the tile's first row.</param>
/// <param name="residualOffset">Where the residual is, in floats from C (it is laid out like C).</param>
/// <param name="residual">Whether there is a residual to add.</param>
/// <param name="add">Whether C holds the earlier slices' sum, to add first.</param>
/// <param name="relu">Whether ReLU comes last.</param>
internal readonly unsafe struct ThroughEpilogue512(float* scale, float* shift, nint residualOffset, bool residual, bool add, bool relu)
    : ITileStore512
{
    /// <summary>
    /// Prefetches the residual rows the tile's store adds: they arrive while the tile computes, where the store would
    /// wait on each (the residual was written a layer or more before and has left the core's caches). In one process,
    /// inference at batch 1: medians 0.993, 0.998, 0.999, 0.994.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prepare(float* c, nint ldc)
    {
        if (!residual)
        {
            return;
        }

        // A row's 32 floats span two cache lines, or three when the row does not start on a line.
        float* r = c + residualOffset;
        for (int row = 0; row < GemmMicroKernel512.Rows; row++, r += ldc)
        {
            Sse.Prefetch0(r);
            Sse.Prefetch0(r + 16);
            Sse.Prefetch0(r + GemmMicroKernel512.Columns - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* c, int row, Vector512<float> v0, Vector512<float> v1)
    {
        if (add)
        {
            v0 += Vector512.Load(c + 0);
            v1 += Vector512.Load(c + 16);
        }

        var s = Vector512.Create(scale[row]);
        var t = Vector512.Create(shift[row]);
        v0 = Vector512.FusedMultiplyAdd(v0, s, t);
        v1 = Vector512.FusedMultiplyAdd(v1, s, t);
        if (residual)
        {
            float* r = c + residualOffset;
            v0 += Vector512.Load(r + 0);
            v1 += Vector512.Load(r + 16);
        }

        if (relu)
        {
            v0 = Vector512.Max(v0, Vector512<float>.Zero);
            v1 = Vector512.Max(v1, Vector512<float>.Zero);
        }

        v0.Store(c + 0);
        v1.Store(c + 16);
    }
}
