using System.Numerics;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y = max over the window's cells inside x (padding never wins), + residual when not empty.</summary>
    public static void MaxPoolForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in PoolShape s, ReadOnlySpan<T> residual)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < s.Channels; c++)
        for (int oh = 0; oh < s.OutHeight; oh++)
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            int o = ((n * s.Channels + c) * s.OutHeight + oh) * s.OutWidth + ow;
            double max = D(x[PoolArgMax(x, s, n, c, oh, ow)]);
            y[o] = From<T>(residual.IsEmpty ? max : max + D(residual[o]));
        }
    }

    /// <summary>dx (= or +=) dy routed to each window's first maximum in row-major order (PyTorch's tie rule).</summary>
    public static void MaxPoolBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dx, int batch, in PoolShape s, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        var sum = new double[x.Length];
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < s.Channels; c++)
        for (int oh = 0; oh < s.OutHeight; oh++)
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            sum[PoolArgMax(x, s, n, c, oh, ow)] += D(dy[((n * s.Channels + c) * s.OutHeight + oh) * s.OutWidth + ow]);
        }

        for (int j = 0; j < sum.Length; j++)
        {
            Store(dx, j, sum[j], accumulate);
        }
    }

    // PyTorch's rule: start at the window's first in-bounds cell with -infinity, move only on a strictly greater value.
    private static int PoolArgMax<T>(ReadOnlySpan<T> x, in PoolShape s, int n, int c, int oh, int ow)
        where T : IFloatingPointIeee754<T>
    {
        int first = -1, best = -1;
        double bestValue = double.NegativeInfinity;
        for (int kh = 0; kh < s.Kernel; kh++)
        for (int kw = 0; kw < s.Kernel; kw++)
        {
            int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
            if (ih < 0 || ih >= s.InHeight || iw < 0 || iw >= s.InWidth)
            {
                continue;
            }

            int j = ((n * s.Channels + c) * s.InHeight + ih) * s.InWidth + iw;
            if (first < 0)
            {
                first = j;
            }

            if (D(x[j]) > bestValue)
            {
                bestValue = D(x[j]);
                best = j;
            }
        }

        return best >= 0 ? best : first;
    }
}
