using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// The random stream of one sample: xoshiro256** reseeded from (seed, epoch, slot) before each sample, so every
/// augmentation decision depends on those three numbers only, never on which worker ran it or when.
/// A worker owns one and reseeds it, so no per-sample allocation is needed.
/// </summary>
public sealed class SampleRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SampleRandom(ulong seed = 0) => Reseed(seed);

    /// <summary>The seed of a sample's stream; a different <paramref name="stream"/> gives an independent stream (e.g. the epoch's permutation).</summary>
    public static ulong SeedFor(long seed, int epoch, long slot, ulong stream = 0) =>
        StepSeed.Mix(StepSeed.Mix(StepSeed.Mix((ulong)seed ^ stream) ^ (ulong)(uint)epoch) ^ (ulong)slot);

    public void Reseed(ulong seed)
    {
        // SplitMix64 fills the state, as the xoshiro authors recommend; it never yields the all-zero state.
        _s0 = StepSeed.Mix(seed);
        _s1 = StepSeed.Mix(seed + 1);
        _s2 = StepSeed.Mix(seed + 2);
        _s3 = StepSeed.Mix(seed + 3);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        // Lemire's multiply-shift; the bias for ranges this small is far below anything measurable.
        return (int)((NextUInt64() >> 32) * (ulong)maxExclusive >> 32);
    }

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p >= 1 || (p > 0 && NextDouble() < p);

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
