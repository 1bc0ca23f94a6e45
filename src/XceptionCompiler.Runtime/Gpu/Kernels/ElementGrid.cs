using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The launch of a flat element-wise pass: groups of 256 threads, each thread striding over the elements (a
/// grid-stride loop), so counts past 2^31 (long indices) and any grid cap work alike. Passes that index with int
/// check their count against int.MaxValue themselves.
/// </summary>
public static class ElementGrid
{
    /// <summary>Threads per group.</summary>
    public const int GroupSize = 256;

    // Enough groups to fill any GPU many times over; larger passes loop.
    private const long MaxGroups = 1 << 16;

    /// <summary>The configuration for <paramref name="count"/> elements.</summary>
    public static KernelConfig Config(long count) =>
        new(new Index1D((int)Math.Clamp(DeviceMath.CeilDiv(count, GroupSize), 1, MaxGroups)), new Index1D(GroupSize));

    /// <summary>This thread's first element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long First() => ((long)Grid.IdxX * Group.DimX) + Group.IdxX;

    /// <summary>The distance between a thread's elements: all threads of the grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long Stride() => (long)Grid.DimX * Group.DimX;
}
