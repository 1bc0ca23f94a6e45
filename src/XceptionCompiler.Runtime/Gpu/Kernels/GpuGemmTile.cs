using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The one shared-memory tiled GEMM every dense op runs on: C = A B, with A, B and the store addressed by an
/// <see cref="IGemmOperands"/> struct. A group of 256 threads computes a 64x64 tile of C, staging 16-deep slices of
/// A and B in shared memory; groups along z share the depth (<see cref="GemmSize.SplitDepth"/>). The slices are
/// multiplied by the tensor cores (inline PTX mma.sync, TF32 or 3xTF32) on a CUDA GPU, by an fp32 FMA register tile
/// elsewhere, or by the tensor-core path with the mma emulated by warp shuffles when <c>emulateMma</c> is set.
/// </summary>
public static class GpuGemmTile
{
    /// <summary>Rows of C per group.</summary>
    public const int TileRows = 64;

    /// <summary>Columns of C per group.</summary>
    public const int TileColumns = 64;

    /// <summary>Depth staged in shared memory per step.</summary>
    public const int TileDepth = 16;

    /// <summary>Threads per group: 8 warps.</summary>
    public const int GroupSize = 256;

    // Shared tiles are [k][row or column]; 8 words of padding put the 4 k-rows an mma fragment reads on distinct banks.
    internal const int SharedStride = TileRows + 8;

    private const int SharedTileLength = TileDepth * SharedStride;

    /// <summary>
    /// Runs the group's tile of C. Every thread of the group must call it (it synchronises the group).
    /// <paramref name="splitTf32"/> chooses 3xTF32 over plain TF32 on the tensor cores; <paramref name="emulateMma"/>
    /// runs the tensor-core path off the GPU (tests).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply<TOperands>(TOperands operands, GemmSize size, bool splitTf32, bool emulateMma)
        where TOperands : struct, IGemmOperands
    {
        ArrayView<float> aTile = SharedMemory.Allocate<float>(SharedTileLength);
        ArrayView<float> bTile = SharedMemory.Allocate<float>(SharedTileLength);
        int rowBase = Grid.IdxY * TileRows;
        int columnBase = Grid.IdxX * TileColumns;
        int depthBegin = Grid.IdxZ * size.DepthPerGroup;
        int depthEnd = Math.Min(depthBegin + size.DepthPerGroup, size.Depth);
        bool tensorCores = CudaAsm.IsSupported || emulateMma;
        bool emulate = !CudaAsm.IsSupported;

        var acc = default(TileAccumulators);
        for (int k = depthBegin; k < depthEnd; k += TileDepth)
        {
            Stage(ref operands, aTile, bTile, size, rowBase, columnBase, k, depthEnd);
            Group.Barrier();
            if (tensorCores)
            {
                TensorCoreWarpTile.Accumulate(ref acc, aTile, bTile, splitTf32, emulate);
            }
            else
            {
                FmaRegisterTile.Accumulate(ref acc, aTile, bTile);
            }

            // Nobody restages the tiles while another warp still reads them.
            Group.Barrier();
        }

        if (tensorCores)
        {
            TensorCoreWarpTile.Store(ref operands, ref acc, size, rowBase, columnBase);
        }
        else
        {
            FmaRegisterTile.Store(ref operands, ref acc, size, rowBase, columnBase);
        }
    }

    /// <summary>Stores C[row, column] when it lies inside the matrix (tiles overhang its edges).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreInside<TOperands>(ref TOperands operands, GemmSize size, int row, int column, float value)
        where TOperands : struct, IGemmOperands
    {
        if (row < size.Rows && column < size.Columns)
        {
            operands.Store(row, column, value);
        }
    }

    // Each thread stages 4 elements of each slice; zeros outside the matrix or the group's depth make edges exact.
    // One offset serves both tiles: they are equally wide (TileRows == TileColumns).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Stage<TOperands>(ref TOperands operands, ArrayView<float> aTile, ArrayView<float> bTile, GemmSize size,
        int rowBase, int columnBase, int depthBase, int depthEnd)
        where TOperands : struct, IGemmOperands
    {
        for (int element = Group.IdxX; element < TileDepth * TileRows; element += GroupSize)
        {
            int offset = element % TileRows, k = element / TileRows;
            int row = rowBase + offset, column = columnBase + offset, depth = depthBase + k;
            bool depthInside = depth < depthEnd;
            aTile[k * SharedStride + offset] = depthInside && row < size.Rows ? operands.A(row, depth) : 0f;
            bTile[k * SharedStride + offset] = depthInside && column < size.Columns ? operands.B(depth, column) : 0f;
        }
    }
}
