using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// K x K max pooling; padded cells never win (they act as -infinity). The backward pass recomputes each window's
/// argmax from x, taking the first maximum in row-major window order as PyTorch does, and routes dy there.
/// Planes are split across threads; overlapping windows only scatter within their own plane.
/// </summary>
public static unsafe class MaxPool
{
    /// <summary>y = max over each window (+ residual[same index] when residual is not null).</summary>
    public static void Forward(float* x, float* y, int batch, in PoolShape s, float* residual)
    {
        var body = new ForwardBody { X = x, Y = y, Residual = residual, Shape = s };
        Workers.For(batch * s.Channels, ref body);
    }

    /// <summary>dx (= or +=) dy routed to each window's first maximum.</summary>
    public static void Backward(float* dy, float* x, float* dx, int batch, in PoolShape s, bool accumulate)
    {
        var body = new BackwardBody { Dy = dy, X = x, Dx = dx, Shape = s, Accumulate = accumulate };
        Workers.For(batch * s.Channels, ref body);
    }

    // Index in the plane of the first maximum of window (oh, ow), clipped to the input.
    private static int ArgMax(float* plane, in PoolShape s, int oh, int ow)
    {
        int h0 = oh * s.Stride - s.PadTop, w0 = ow * s.Stride - s.PadLeft;
        int hLo = Math.Max(h0, 0), hHi = Math.Min(h0 + s.Kernel, s.InHeight);
        int wLo = Math.Max(w0, 0), wHi = Math.Min(w0 + s.Kernel, s.InWidth);
        int best = hLo * s.InWidth + wLo;
        float bestValue = plane[best];
        for (int ih = hLo; ih < hHi; ih++)
        {
            for (int iw = wLo; iw < wHi; iw++)
            {
                int index = ih * s.InWidth + iw;
                // Strictly greater: a later equal value does not displace the first maximum.
                if (plane[index] > bestValue)
                {
                    bestValue = plane[index];
                    best = index;
                }
            }
        }

        return best;
    }

    private struct ForwardBody : IParallelBody
    {
        public float* X, Y, Residual;
        public PoolShape Shape;

        public readonly void Run(int begin, int end)
        {
            PoolShape s = Shape;
            long inPlane = (long)s.InHeight * s.InWidth, outPlane = (long)s.OutHeight * s.OutWidth;
            for (int plane = begin; plane < end; plane++)
            {
                float* x = X + plane * inPlane;
                float* y = Y + plane * outPlane;
                float* residual = Residual == null ? null : Residual + plane * outPlane;
                for (int oh = 0; oh < s.OutHeight; oh++)
                {
                    for (int ow = 0; ow < s.OutWidth; ow++)
                    {
                        int o = oh * s.OutWidth + ow;
                        float max = x[ArgMax(x, s, oh, ow)];
                        y[o] = residual == null ? max : max + residual[o];
                    }
                }
            }
        }
    }

    private struct BackwardBody : IParallelBody
    {
        public float* Dy, X, Dx;
        public PoolShape Shape;
        public bool Accumulate;

        public readonly void Run(int begin, int end)
        {
            PoolShape s = Shape;
            long inPlane = (long)s.InHeight * s.InWidth, outPlane = (long)s.OutHeight * s.OutWidth;
            for (int plane = begin; plane < end; plane++)
            {
                float* x = X + plane * inPlane;
                float* dx = Dx + plane * inPlane;
                float* dy = Dy + plane * outPlane;
                if (!Accumulate)
                {
                    new Span<float>(dx, (int)inPlane).Clear();
                }

                for (int oh = 0; oh < s.OutHeight; oh++)
                {
                    for (int ow = 0; ow < s.OutWidth; ow++)
                    {
                        dx[ArgMax(x, s, oh, ow)] += dy[oh * s.OutWidth + ow];
                    }
                }
            }
        }
    }
}
