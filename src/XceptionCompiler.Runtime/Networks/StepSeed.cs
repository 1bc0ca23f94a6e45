namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// Seeds for per-step randomness (dropout masks): a SplitMix64 mix of the user's seed, the step and the node,
/// so a mask depends on nothing else and a resumed run draws the same masks.
/// </summary>
public static class StepSeed
{
    public static ulong For(ulong seed, long step, int node) => Mix(Mix(seed ^ Mix((ulong)step)) ^ (ulong)node);

    /// <summary>The SplitMix64 finaliser.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
