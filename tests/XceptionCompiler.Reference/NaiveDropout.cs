using System.Numerics;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y[i] = Keeps(seed, i, p) ? x[i] / (1 - p) : 0 (the mask's definition is shared with the kernel).</summary>
    public static void DropoutForward<T>(ReadOnlySpan<T> x, Span<T> y, float p, ulong seed)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = From<T>(Dropout.Keeps(seed, i, p) ? D(x[i]) / (1 - (double)p) : 0);
        }
    }

    /// <summary>dx[i] (= or +=) Keeps(seed, i, p) ? dy[i] / (1 - p) : 0.</summary>
    public static void DropoutBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, float p, ulong seed, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < dy.Length; i++)
        {
            Store(dx, i, Dropout.Keeps(seed, i, p) ? D(dy[i]) / (1 - (double)p) : 0, accumulate);
        }
    }
}
