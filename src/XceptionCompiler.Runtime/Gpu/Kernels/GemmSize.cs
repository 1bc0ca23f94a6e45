using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The extent of a GEMM for <see cref="GpuGemmTile"/> and how its depth is split across groups. Built from the
/// same constants on the host (for the launch) and in the kernel (where ILGPU folds it), so both always agree.
/// </summary>
public readonly struct GemmSize
{
    // Enough groups to fill a large GPU a few times over; split depth only when the output tiles alone fall short.
    private const int TargetGroups = 512;

    private GemmSize(int rows, int columns, int depth, int depthPerGroup)
    {
        Rows = rows;
        Columns = columns;
        Depth = depth;
        DepthPerGroup = depthPerGroup;
    }

    /// <summary>Rows of C and A.</summary>
    public int Rows { get; }

    /// <summary>Columns of C and B.</summary>
    public int Columns { get; }

    /// <summary>The summed dimension.</summary>
    public int Depth { get; }

    /// <summary>How much of the depth one group sums (a multiple of the tile depth unless it is all of it).</summary>
    public int DepthPerGroup { get; }

    /// <summary>One group sums the whole depth of its tile, so the store may overwrite or read-modify-write C.</summary>
    public static GemmSize Whole(int rows, int columns, int depth) => new(rows, columns, depth, Math.Max(depth, 1));

    /// <summary>
    /// Groups share the depth of a tile, so the pass must store with <c>Atomic.Add</c> (the weight gradients,
    /// whose depth is batch x space and whose output is small).
    /// </summary>
    public static GemmSize SplitDepth(int rows, int columns, int depth)
    {
        int tiles = CeilDiv(rows, GpuGemmTile.TileRows) * CeilDiv(columns, GpuGemmTile.TileColumns);
        int depthTiles = Math.Max(1, CeilDiv(depth, GpuGemmTile.TileDepth));
        int splits = Math.Min(depthTiles, Math.Max(1, TargetGroups / Math.Max(tiles, 1)));
        return new(rows, columns, depth, CeilDiv(depthTiles, splits) * GpuGemmTile.TileDepth);
    }

    /// <summary>Groups along columns (x), rows (y) and depth splits (z), of <see cref="GpuGemmTile.GroupSize"/> threads.</summary>
    public KernelConfig Config() => new(
        new Index3D(
            Math.Max(1, CeilDiv(Columns, GpuGemmTile.TileColumns)),
            Math.Max(1, CeilDiv(Rows, GpuGemmTile.TileRows)),
            Math.Max(1, CeilDiv(Depth, DepthPerGroup))),
        new Index3D(GpuGemmTile.GroupSize, 1, 1));

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
