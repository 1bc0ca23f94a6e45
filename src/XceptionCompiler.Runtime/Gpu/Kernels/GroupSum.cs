using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Sums over one warp or one group: a butterfly of warp shuffles within each warp, then, for a group, the warps' sums
/// through shared memory. The order of additions is fixed, so the result does not change from run to run.
/// Overloads for float and double rather than one generic method, as the additions need the concrete type.
/// </summary>
public static class GroupSum
{
    // Enough slots for groups of 256 threads with warps as narrow as 8 lanes; a constant, as shared memory must be.
    private const int MaxWarps = 32;

    /// <summary>
    /// The group-wide sum of <paramref name="value"/>, returned to every thread. Every thread of the group must call
    /// it (it holds two barriers); the group size is a multiple of the warp size.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value)
    {
        ArrayView<float> warpSums = SharedMemory.Allocate<float>(MaxWarps);
        value = Warp(value);
        if (ILGPU.Warp.IsFirstLane)
        {
            warpSums[ILGPU.Warp.WarpIdx] = value;
        }

        Group.Barrier();
        // Every warp adds the warps' sums itself, so all threads get the total without another broadcast.
        int warps = Group.DimX / ILGPU.Warp.WarpSize;
        int lane = ILGPU.Warp.LaneIdx;
        value = Warp(lane < warps ? warpSums[lane] : 0f);
        // The shared slots may be reused by a later sum in the same kernel.
        Group.Barrier();
        return value;
    }

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

    /// <summary>The sum over one warp, returned to every lane (butterfly of XOR shuffles); every lane must call it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Warp(float value)
    {
        for (int mask = ILGPU.Warp.WarpSize / 2; mask > 0; mask >>= 1)
        {
            value += ILGPU.Warp.ShuffleXor(value, mask);
        }

        return value;
    }

    /// <summary>The sum over one warp, returned to every lane (butterfly of XOR shuffles); every lane must call it.</summary>
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
