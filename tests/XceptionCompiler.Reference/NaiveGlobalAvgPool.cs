using System.Numerics;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y[n,c] = mean over p of x[n,c,p].</summary>
    public static void GlobalAvgPoolForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int channels, int spatial)
        where T : IFloatingPointIeee754<T>
    {
        for (int j = 0; j < batch * channels; j++)
        {
            double sum = 0;
            for (int p = 0; p < spatial; p++)
            {
                sum += D(x[j * spatial + p]);
            }

            y[j] = From<T>(sum / spatial);
        }
    }

    /// <summary>dx[n,c,p] (= or +=) dy[n,c] / spatial.</summary>
    public static void GlobalAvgPoolBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int channels, int spatial, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        for (int j = 0; j < batch * channels; j++)
        for (int p = 0; p < spatial; p++)
        {
            Store(dx, j * spatial + p, D(dy[j]) / spatial, accumulate);
        }
    }
}
