using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Every other float from a pointer, 16 at a time (AVX-512): p[0], p[2], ..., p[30], the even lanes of two loads
/// gathered by one permute. What a stride-2 window reads at one tap, for 16 windows side by side.
/// </summary>
internal static unsafe class EvenLanes
{
    public const int Count = 16;

    /// <summary>Permute indices of the even lanes of two concatenated vectors.</summary>
    internal static Vector512<int> Evens
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<int>.Indices * 2;
    }

    /// <summary>p[0], p[2], ..., p[30]; reads p[0 .. 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) =>
        Avx512F.PermuteVar16x32x2(Vector512.Load(p), Evens, Vector512.Load(p + Count));

    /// <summary>p[0], p[2], ..., p[2 (count - 1)] and zeros after them; reads nothing past p[2 (count - 1)].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadFirst(float* p, int count)
    {
        Vector512<int> lanes = Vector512<int>.Indices;
        int last = 2 * (count - 1);
        Vector512<float> low = Avx512F.MaskLoad(p, Vector512.LessThanOrEqual(lanes, Vector512.Create(last)).AsSingle(), Vector512<float>.Zero);
        Vector512<float> high = Avx512F.MaskLoad(p + Count, Vector512.LessThanOrEqual(lanes, Vector512.Create(last - Count)).AsSingle(), Vector512<float>.Zero);
        Vector512<float> evens = Avx512F.PermuteVar16x32x2(low, Evens, high);
        return evens & First(count);
    }

    /// <summary>A mask of lanes 0 .. count-1 (all bits set there, zero after): the valid part of a last vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> First(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
}
