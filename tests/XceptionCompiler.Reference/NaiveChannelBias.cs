using System.Numerics;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y[n,c,p] += b[c].</summary>
    public static void ChannelBiasForward<T>(Span<T> y, ReadOnlySpan<T> b, int batch, int channels, int spatial)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < channels; c++)
        for (int p = 0; p < spatial; p++)
        {
            Store(y, (n * channels + c) * spatial + p, D(b[c]), accumulate: true);
        }
    }

    /// <summary>db[c] += sum over n,p of dy[n,c,p].</summary>
    public static void ChannelBiasBackward<T>(ReadOnlySpan<T> dy, Span<T> db, int batch, int channels, int spatial)
        where T : IFloatingPointIeee754<T>
    {
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            for (int p = 0; p < spatial; p++)
            {
                sum += D(dy[(n * channels + c) * spatial + p]);
            }

            Store(db, c, sum, accumulate: true);
        }
    }
}
