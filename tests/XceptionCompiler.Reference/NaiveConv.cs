using System.Numerics;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y[n,o,oh,ow] = sum over i,kh,kw of w[o,i,kh,kw] * f(x[n,i,oh*S-PT+kh, ow*S-PL+kw]), zero outside x.</summary>
    public static void Conv2dForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> y, int batch, in ConvShape s, bool reluInput)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
        for (int oh = 0; oh < s.OutHeight; oh++)
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            double sum = 0;
            for (int i = 0; i < s.InChannels; i++)
            for (int kh = 0; kh < s.KernelHeight; kh++)
            for (int kw = 0; kw < s.KernelWidth; kw++)
            {
                int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
                if (ih < 0 || ih >= s.InHeight || iw < 0 || iw >= s.InWidth)
                {
                    continue;
                }

                double v = D(x[ConvInputIndex(s, n, i, ih, iw)]);
                sum += D(w[ConvWeightIndex(s, o, i, kh, kw)]) * (reluInput ? Relu(v) : v);
            }

            y[((n * s.OutChannels + o) * s.OutHeight + oh) * s.OutWidth + ow] = From<T>(sum);
        }
    }

    /// <summary>dx (= or +=) the forward's transpose applied to dy, times (x &gt; 0) when reluInput.</summary>
    public static void Conv2dBackwardData<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> w, ReadOnlySpan<T> x, Span<T> dx, int batch, in ConvShape s, bool reluInput, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        var sum = new double[batch * s.InChannels * s.InHeight * s.InWidth];
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < s.OutChannels; o++)
        for (int oh = 0; oh < s.OutHeight; oh++)
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            double g = D(dy[((n * s.OutChannels + o) * s.OutHeight + oh) * s.OutWidth + ow]);
            for (int i = 0; i < s.InChannels; i++)
            for (int kh = 0; kh < s.KernelHeight; kh++)
            for (int kw = 0; kw < s.KernelWidth; kw++)
            {
                int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
                if (ih >= 0 && ih < s.InHeight && iw >= 0 && iw < s.InWidth)
                {
                    sum[ConvInputIndex(s, n, i, ih, iw)] += D(w[ConvWeightIndex(s, o, i, kh, kw)]) * g;
                }
            }
        }

        for (int j = 0; j < sum.Length; j++)
        {
            Store(dx, j, !reluInput || D(x[j]) > 0 ? sum[j] : 0, accumulate);
        }
    }

    /// <summary>dw[o,i,kh,kw] += sum over n,oh,ow of dy[n,o,oh,ow] * f(x[n,i,oh*S-PT+kh, ow*S-PL+kw]).</summary>
    public static void Conv2dBackwardWeights<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dw, int batch, in ConvShape s, bool reluInput)
        where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < s.OutChannels; o++)
        for (int i = 0; i < s.InChannels; i++)
        for (int kh = 0; kh < s.KernelHeight; kh++)
        for (int kw = 0; kw < s.KernelWidth; kw++)
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

                double v = D(x[ConvInputIndex(s, n, i, ih, iw)]);
                sum += D(dy[((n * s.OutChannels + o) * s.OutHeight + oh) * s.OutWidth + ow]) * (reluInput ? Relu(v) : v);
            }

            Store(dw, ConvWeightIndex(s, o, i, kh, kw), sum, accumulate: true);
        }
    }

    private static int ConvInputIndex(in ConvShape s, int n, int c, int h, int w) =>
        ((n * s.InChannels + c) * s.InHeight + h) * s.InWidth + w;

    private static int ConvWeightIndex(in ConvShape s, int o, int i, int kh, int kw) =>
        ((o * s.InChannels + i) * s.KernelHeight + kh) * s.KernelWidth + kw;
}
