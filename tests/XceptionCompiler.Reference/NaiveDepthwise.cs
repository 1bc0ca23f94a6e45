using System.Numerics;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y[n,c,oh,ow] = sum over kh,kw of w[c,0,kh,kw] * f(x[n,c,oh*S-PT+kh, ow*S-PL+kw]), zero outside x.</summary>
    public static void DepthwiseForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> y, int batch, in DepthwiseShape s, bool reluInput)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < s.Channels; c++)
        for (int oh = 0; oh < s.OutHeight; oh++)
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            double sum = 0;
            for (int kh = 0; kh < s.Kernel; kh++)
            for (int kw = 0; kw < s.Kernel; kw++)
            {
                int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
                if (ih < 0 || ih >= s.InHeight || iw < 0 || iw >= s.InWidth)
                {
                    continue;
                }

                double v = D(x[((n * s.Channels + c) * s.InHeight + ih) * s.InWidth + iw]);
                sum += D(w[(c * s.Kernel + kh) * s.Kernel + kw]) * (reluInput ? Relu(v) : v);
            }

            y[((n * s.Channels + c) * s.OutHeight + oh) * s.OutWidth + ow] = From<T>(sum);
        }
    }

    /// <summary>dx (= or +=) the forward's transpose applied to dy, times (x &gt; 0) when reluInput.</summary>
    public static void DepthwiseBackwardData<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> w, ReadOnlySpan<T> x, Span<T> dx, int batch, in DepthwiseShape s, bool reluInput, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        var sum = new double[batch * s.Channels * s.InHeight * s.InWidth];
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < s.Channels; c++)
        for (int oh = 0; oh < s.OutHeight; oh++)
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            double g = D(dy[((n * s.Channels + c) * s.OutHeight + oh) * s.OutWidth + ow]);
            for (int kh = 0; kh < s.Kernel; kh++)
            for (int kw = 0; kw < s.Kernel; kw++)
            {
                int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
                if (ih >= 0 && ih < s.InHeight && iw >= 0 && iw < s.InWidth)
                {
                    sum[((n * s.Channels + c) * s.InHeight + ih) * s.InWidth + iw] += D(w[(c * s.Kernel + kh) * s.Kernel + kw]) * g;
                }
            }
        }

        for (int j = 0; j < sum.Length; j++)
        {
            Store(dx, j, !reluInput || D(x[j]) > 0 ? sum[j] : 0, accumulate);
        }
    }

    /// <summary>dw[c,0,kh,kw] += sum over n,oh,ow of dy[n,c,oh,ow] * f(x[n,c,oh*S-PT+kh, ow*S-PL+kw]).</summary>
    public static void DepthwiseBackwardWeights<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dw, int batch, in DepthwiseShape s, bool reluInput)
        where T : IFloatingPointIeee754<T>
    {
        for (int c = 0; c < s.Channels; c++)
        for (int kh = 0; kh < s.Kernel; kh++)
        for (int kw = 0; kw < s.Kernel; kw++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < s.OutHeight; oh++)
            for (int ow = 0; ow < s.OutWidth; ow++)
            {
                int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
                if (ih < 0 || ih >= s.InHeight || iw < 0 || iw >= s.InWidth)
                {
                    continue;
                }

                double v = D(x[((n * s.Channels + c) * s.InHeight + ih) * s.InWidth + iw]);
                sum += D(dy[((n * s.Channels + c) * s.OutHeight + oh) * s.OutWidth + ow]) * (reluInput ? Relu(v) : v);
            }

            Store(dw, (c * s.Kernel + kh) * s.Kernel + kw, sum, accumulate: true);
        }
    }
}
