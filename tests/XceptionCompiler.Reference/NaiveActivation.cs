using System.Numerics;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y = max(x, 0).</summary>
    public static void ReluForward<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = From<T>(Relu(D(x[i])));
        }
    }

    /// <summary>dx (= or +=) dy * (y &gt; 0), the mask read from the stored output.</summary>
    public static void ReluBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, Span<T> dx, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < dy.Length; i++)
        {
            Store(dx, i, D(y[i]) > 0 ? D(dy[i]) : 0, accumulate);
        }
    }
}
