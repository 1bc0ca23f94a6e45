using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The fp32 FMA path of <see cref="GpuGemmTile"/> (CPU accelerator, non-CUDA): the 256 threads form a 16x16 grid
/// and each owns a 4x4 register tile, rows ty + 16i and columns tx + 16j, strided so neighbouring lanes read
/// neighbouring shared-memory words.
/// </summary>
internal static class FmaRegisterTile
{
    private const int Side = 16;

    /// <summary>Adds the products of one staged depth tile (A and B as [k][row or column] in shared memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(ref TileAccumulators acc, ArrayView<float> aTile, ArrayView<float> bTile)
    {
        int tx = Group.IdxX % Side, ty = Group.IdxX / Side;
        for (int k = 0; k < GpuGemmTile.TileDepth; k++)
        {
            int offset = k * GpuGemmTile.SharedStride;
            float a0 = aTile[offset + ty], a1 = aTile[offset + ty + Side];
            float a2 = aTile[offset + ty + 2 * Side], a3 = aTile[offset + ty + 3 * Side];
            Fma(ref acc.Q0, a0, a1, a2, a3, bTile[offset + tx]);
            Fma(ref acc.Q1, a0, a1, a2, a3, bTile[offset + tx + Side]);
            Fma(ref acc.Q2, a0, a1, a2, a3, bTile[offset + tx + 2 * Side]);
            Fma(ref acc.Q3, a0, a1, a2, a3, bTile[offset + tx + 3 * Side]);
        }
    }

    /// <summary>Stores quad j (column tx + 16j), element i (row ty + 16i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TOperands>(ref TOperands operands, ref TileAccumulators acc, GemmSize size, int rowBase, int columnBase)
        where TOperands : struct, IGemmOperands
    {
        int row = rowBase + Group.IdxX / Side;
        int column = columnBase + Group.IdxX % Side;
        StoreColumn(ref operands, acc.Q0, size, row, column);
        StoreColumn(ref operands, acc.Q1, size, row, column + Side);
        StoreColumn(ref operands, acc.Q2, size, row, column + 2 * Side);
        StoreColumn(ref operands, acc.Q3, size, row, column + 3 * Side);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fma(ref AccumulatorQuad q, float a0, float a1, float a2, float a3, float b)
    {
        q.C0 += a0 * b;
        q.C1 += a1 * b;
        q.C2 += a2 * b;
        q.C3 += a3 * b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreColumn<TOperands>(ref TOperands operands, AccumulatorQuad q, GemmSize size, int row, int column)
        where TOperands : struct, IGemmOperands
    {
        GpuGemmTile.StoreInside(ref operands, size, row, column, q.C0);
        GpuGemmTile.StoreInside(ref operands, size, row + Side, column, q.C1);
        GpuGemmTile.StoreInside(ref operands, size, row + 2 * Side, column, q.C2);
        GpuGemmTile.StoreInside(ref operands, size, row + 3 * Side, column, q.C3);
    }
}
