using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>The sum of one value per thread over a group of up to 256 threads: warp shuffles, then one warp.</summary>
internal static class GpuGroupSum
{
    private const int MaxWarps = 32;

    /// <summary>The group's total, valid in thread 0. Every thread of the group must call it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value)
    {
        ArrayView<float> warpSums = SharedMemory.Allocate<float>(MaxWarps);
        value = WarpSum(value);
        if (Warp.IsFirstLane)
        {
            warpSums[Warp.WarpIdx] = value;
        }

        Group.Barrier();
        int warps = (Group.DimX + Warp.WarpSize - 1) / Warp.WarpSize;
        float total = 0f;
        if (Warp.WarpIdx == 0)
        {
            total = WarpSum(Warp.LaneIdx < warps ? warpSums[Warp.LaneIdx] : 0f);
        }

        // The shared slots may be reused by a following call only after warp 0 has read them.
        Group.Barrier();
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float WarpSum(float value)
    {
        for (int delta = Warp.WarpSize / 2; delta > 0; delta /= 2)
        {
            value += Warp.ShuffleDown(value, delta);
        }

        return value;
    }
}
