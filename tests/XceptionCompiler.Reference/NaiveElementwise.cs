using System.Numerics;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y = a + b.</summary>
    public static void Add<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Length; i++)
        {
            y[i] = From<T>(D(a[i]) + D(b[i]));
        }
    }

    /// <summary>dst (= or +=) src.</summary>
    public static void Copy<T>(ReadOnlySpan<T> src, Span<T> dst, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < src.Length; i++)
        {
            Store(dst, i, D(src[i]), accumulate);
        }
    }
}
