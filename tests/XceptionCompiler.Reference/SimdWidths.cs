using Xunit;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Reference;

/// <summary>
/// The SIMD paths this machine can run, for tests that check every path: on an AVX-512 machine both the Vector512
/// and the forced Vector256 path, elsewhere the Vector256 one.
/// </summary>
public static class SimdWidths
{
    public static IReadOnlyList<SimdWidth> Available { get; } =
        Enum.GetValues<SimdWidth>().Where(width => width <= SimdPath.Widest).ToArray();

    /// <summary>Each available path once, as theory data.</summary>
    public static TheoryData<SimdWidth> Paths => new(Available);

    /// <summary>Every case of <paramref name="cases"/> once per available path.</summary>
    public static TheoryData<T1, T2, SimdWidth> Each<T1, T2>(IEnumerable<(T1, T2)> cases)
    {
        var data = new TheoryData<T1, T2, SimdWidth>();
        foreach ((T1 first, T2 second) in cases)
        {
            foreach (SimdWidth width in Available)
            {
                data.Add(first, second, width);
            }
        }

        return data;
    }

    /// <summary>Every case of <paramref name="cases"/> once per available path.</summary>
    public static TheoryData<T, SimdWidth> Each<T>(IEnumerable<T> cases)
    {
        var data = new TheoryData<T, SimdWidth>();
        foreach (T value in cases)
        {
            foreach (SimdWidth width in Available)
            {
                data.Add(value, width);
            }
        }

        return data;
    }
}
