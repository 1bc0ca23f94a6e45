using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Inverted dropout with a counter-based mask: element i is kept iff a hash of (seed, i), read as a uniform number
/// in [0, 1), is at least p; kept values are scaled by 1/(1 - p). The mask is a pure function of (seed, i), so the
/// backward pass recomputes it instead of storing it, and any thread may compute any element.
/// </summary>
public static unsafe class Dropout
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>y = keep ? x / (1 - p) : 0.</summary>
    public static void Forward(float* x, float* y, long count, float p, ulong seed)
    {
        var body = new Body { Source = x, Destination = y, Count = count, P = p, Key = Key(seed), Accumulate = false };
        Workers.For(ElementChunks.Count(count), ref body);
    }

    /// <summary>dx (= or +=) keep ? dy / (1 - p) : 0.</summary>
    public static void Backward(float* dy, float* dx, long count, float p, ulong seed, bool accumulate)
    {
        var body = new Body { Source = dy, Destination = dx, Count = count, P = p, Key = Key(seed), Accumulate = accumulate };
        Workers.For(ElementChunks.Count(count), ref body);
    }

    /// <summary>Whether element <paramref name="index"/> is kept under <paramref name="seed"/> and drop probability p.</summary>
    public static bool Keeps(ulong seed, long index, float p) => KeepsKeyed(Key(seed), index, p);

    // The seed is mixed once per call; each element then hashes its position on a Weyl sequence from that key.
    // Internal and inlined: the GPU dropout (Gpu/Kernels/GpuDropout.cs) compiles these same functions into its kernels.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Key(ulong seed) => Mix(seed);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool KeepsKeyed(ulong key, long index, float p)
    {
        ulong hash = Mix(key + (ulong)index * Golden);
        // The top 24 bits give a float in [0, 1) exactly.
        float uniform = (hash >> 40) * (1f / (1 << 24));
        return uniform >= p;
    }

    // SplitMix64's finalizer: a bijective avalanche mix.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private struct Body : IParallelBody
    {
        public float* Source, Destination;
        public long Count;
        public float P;
        public ulong Key;
        public bool Accumulate;

        public readonly void Run(int begin, int end)
        {
            (long start, long length) = ElementChunks.Range(begin, end, Count);
            float scale = 1f / (1f - P);
            for (long i = start; i < start + length; i++)
            {
                float v = KeepsKeyed(Key, i, P) ? Source[i] * scale : 0f;
                Destination[i] = Accumulate ? Destination[i] + v : v;
            }
        }
    }
}
