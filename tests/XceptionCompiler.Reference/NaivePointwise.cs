using System.Numerics;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y[n,o,p] = sum over i of w[o,i] * x[n,i,p] (a 1x1 stride-1 convolution).</summary>
    public static void PointwiseForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> y, int batch, int inChannels, int outChannels, int spatial)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < outChannels; o++)
        for (int p = 0; p < spatial; p++)
        {
            double sum = 0;
            for (int i = 0; i < inChannels; i++)
            {
                sum += D(w[o * inChannels + i]) * D(x[(n * inChannels + i) * spatial + p]);
            }

            y[(n * outChannels + o) * spatial + p] = From<T>(sum);
        }
    }

    /// <summary>dx[n,i,p] (= or +=) sum over o of w[o,i] * dy[n,o,p].</summary>
    public static void PointwiseBackwardData<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx, int batch, int inChannels, int outChannels, int spatial, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int i = 0; i < inChannels; i++)
        for (int p = 0; p < spatial; p++)
        {
            double sum = 0;
            for (int o = 0; o < outChannels; o++)
            {
                sum += D(w[o * inChannels + i]) * D(dy[(n * outChannels + o) * spatial + p]);
            }

            Store(dx, (n * inChannels + i) * spatial + p, sum, accumulate);
        }
    }

    /// <summary>dw[o,i] += sum over n,p of dy[n,o,p] * x[n,i,p].</summary>
    public static void PointwiseBackwardWeights<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dw, int batch, int inChannels, int outChannels, int spatial)
        where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outChannels; o++)
        for (int i = 0; i < inChannels; i++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            for (int p = 0; p < spatial; p++)
            {
                sum += D(dy[(n * outChannels + o) * spatial + p]) * D(x[(n * inChannels + i) * spatial + p]);
            }

            Store(dw, o * inChannels + i, sum, accumulate: true);
        }
    }
}
