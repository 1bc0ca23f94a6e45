using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The tensor-core path of <see cref="GpuGemmTile"/>: the 8 warps of a group tile its 64x64 output 4 (rows) x 2
/// (columns); each warp owns 16 rows x 32 columns, four m16n8k8 tiles, one <see cref="AccumulatorQuad"/> each.
/// With <c>splitTf32</c> every product is hi*hi + hi*lo + lo*hi (3xTF32), close to fp32; without it, one TF32 product.
/// </summary>
internal static class TensorCoreWarpTile
{
    private const int WarpRows = 16;
    private const int WarpColumns = 32;
    private const int WarpsAlongRows = GpuGemmTile.TileRows / WarpRows;
    private const int MmaColumns = 8;
    private const int MmaDepth = 8;

    /// <summary>Adds the products of one staged depth tile (A and B as [k][row or column] in shared memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(ref TileAccumulators acc, ArrayView<float> aTile, ArrayView<float> bTile, bool splitTf32, bool emulate)
    {
        int lane = Warp.LaneIdx;
        int group = lane >> 2, thread = lane & 3;
        int row = WarpRow() + group;
        int column = WarpColumn() + group;
        for (int k = 0; k < GpuGemmTile.TileDepth; k += MmaDepth)
        {
            int near = (k + thread) * GpuGemmTile.SharedStride, far = near + 4 * GpuGemmTile.SharedStride;
            float a0 = aTile[near + row], a1 = aTile[near + row + 8], a2 = aTile[far + row], a3 = aTile[far + row + 8];
            var aHigh = new MmaFragmentA
            {
                A0 = Tf32.Round(a0, emulate), A1 = Tf32.Round(a1, emulate),
                A2 = Tf32.Round(a2, emulate), A3 = Tf32.Round(a3, emulate),
            };
            var aLow = default(MmaFragmentA);
            if (splitTf32)
            {
                aLow.A0 = Tf32.Remainder(a0, aHigh.A0, emulate);
                aLow.A1 = Tf32.Remainder(a1, aHigh.A1, emulate);
                aLow.A2 = Tf32.Remainder(a2, aHigh.A2, emulate);
                aLow.A3 = Tf32.Remainder(a3, aHigh.A3, emulate);
            }

            MultiplyAdd(ref acc.Q0, aHigh, aLow, bTile[near + column], bTile[far + column], splitTf32, emulate);
            MultiplyAdd(ref acc.Q1, aHigh, aLow, bTile[near + column + MmaColumns], bTile[far + column + MmaColumns], splitTf32, emulate);
            MultiplyAdd(ref acc.Q2, aHigh, aLow, bTile[near + column + 2 * MmaColumns], bTile[far + column + 2 * MmaColumns], splitTf32, emulate);
            MultiplyAdd(ref acc.Q3, aHigh, aLow, bTile[near + column + 3 * MmaColumns], bTile[far + column + 3 * MmaColumns], splitTf32, emulate);
        }
    }

    /// <summary>Stores the accumulators through the C/D fragment layout (row g or g + 8, column 2t or 2t + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TOperands>(ref TOperands operands, ref TileAccumulators acc, GemmSize size, int rowBase, int columnBase)
        where TOperands : struct, IGemmOperands
    {
        int lane = Warp.LaneIdx;
        int row = rowBase + WarpRow() + (lane >> 2);
        int column = columnBase + WarpColumn() + (lane & 3) * 2;
        StoreQuad(ref operands, acc.Q0, size, row, column);
        StoreQuad(ref operands, acc.Q1, size, row, column + MmaColumns);
        StoreQuad(ref operands, acc.Q2, size, row, column + 2 * MmaColumns);
        StoreQuad(ref operands, acc.Q3, size, row, column + 3 * MmaColumns);
    }

    private static int WarpRow() => Warp.WarpIdx % WarpsAlongRows * WarpRows;

    private static int WarpColumn() => Warp.WarpIdx / WarpsAlongRows * WarpColumns;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreQuad<TOperands>(ref TOperands operands, AccumulatorQuad q, GemmSize size, int row, int column)
        where TOperands : struct, IGemmOperands
    {
        GpuGemmTile.StoreInside(ref operands, size, row, column, q.C0);
        GpuGemmTile.StoreInside(ref operands, size, row, column + 1, q.C1);
        GpuGemmTile.StoreInside(ref operands, size, row + 8, column, q.C2);
        GpuGemmTile.StoreInside(ref operands, size, row + 8, column + 1, q.C3);
    }

    // One m16n8k8 tile: c += a*b, or with the split c += lo(a)*hi(b) + hi(a)*lo(b) + hi(a)*hi(b), small terms first.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(ref AccumulatorQuad c, MmaFragmentA aHigh, MmaFragmentA aLow, float b0, float b1, bool splitTf32, bool emulate)
    {
        var bHigh = new MmaFragmentB { B0 = Tf32.Round(b0, emulate), B1 = Tf32.Round(b1, emulate) };
        if (splitTf32)
        {
            var bLow = new MmaFragmentB { B0 = Tf32.Remainder(b0, bHigh.B0, emulate), B1 = Tf32.Remainder(b1, bHigh.B1, emulate) };
            Mma(ref c, aLow, bHigh, emulate);
            Mma(ref c, aHigh, bLow, emulate);
        }

        Mma(ref c, aHigh, bHigh, emulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mma(ref AccumulatorQuad c, MmaFragmentA a, MmaFragmentB b, bool emulate)
    {
        if (emulate)
        {
            MmaEmulation.MultiplyAdd(ref c, a, b);
            return;
        }

        Ref<float> c0 = c.C0, c1 = c.C1, c2 = c.C2, c3 = c.C3;
        Input<uint> a0 = a.A0, a1 = a.A1, a2 = a.A2, a3 = a.A3, b0 = b.B0, b1 = b.B1;
        CudaAsm.EmitRef(
            "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};",
            ref c0, ref c1, ref c2, ref c3, ref a0, ref a1, ref a2, ref a3, ref b0, ref b1);
        c.C0 = c0.Value;
        c.C1 = c1.Value;
        c.C2 = c2.Value;
        c.C3 = c3.Value;
    }
}
