using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Sums over one group: a butterfly of warp shuffles within each warp, then the warps' sums through shared memory.
/// The order of additions is fixed, so the result does not change from run to run.
/// </summary>
public static class GroupSum
{
    // Enough slots for groups of 256 threads with warps as narrow as 8 lanes; a constant, as shared memory must be.
    private const int MaxWarps = 32;

    /// <summary>
    /// The group-wide sums of <paramref name="a"/> and <paramref name="b"/>, returned to every thread. Every thread of
    /// the group must call it (it holds two barriers); the group size is a multiple of the warp size.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double A, double B) Pair(double a, double b)
    {
        ArrayView<double> warpSums = SharedMemory.Allocate<double>(2 * MaxWarps);
        a = Warp(a);
        b = Warp(b);
        if (ILGPU.Warp.IsFirstLane)
        {
            warpSums[ILGPU.Warp.WarpIdx] = a;
            warpSums[MaxWarps + ILGPU.Warp.WarpIdx] = b;
        }

        Group.Barrier();
        // Every warp adds the warps' sums itself, so all threads get the totals without another broadcast.
        int warps = Group.DimX / ILGPU.Warp.WarpSize;
        int lane = ILGPU.Warp.LaneIdx;
        a = Warp(lane < warps ? warpSums[lane] : 0.0);
        b = Warp(lane < warps ? warpSums[MaxWarps + lane] : 0.0);
        // The shared slots may be reused by a later sum in the same kernel.
        Group.Barrier();
        return (a, b);
    }

    /// <summary>The sum over one warp, returned to every lane (butterfly of XOR shuffles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Warp(double value)
    {
        for (int mask = ILGPU.Warp.WarpSize / 2; mask > 0; mask >>= 1)
        {
            value += ILGPU.Warp.ShuffleXor(value, mask);
        }

        return value;
    }
}
