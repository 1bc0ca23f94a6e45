using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// K x K max pooling; padded cells never win (they act as -infinity). Each output row is computed from one vector
/// pass (the element-wise maximum of the input rows its windows cover) and one short horizontal pass over a row
/// padded with -infinity, so no window needs clipping. The backward pass recomputes those maxima and routes dy to
/// the first input cell of the window, in row-major window order, that equals it, as PyTorch does.
/// Planes are split across threads; overlapping windows only scatter within their own plane.
/// </summary>
public static unsafe class MaxPool
{
    /// <summary>y = max over each window (+ residual[same index] when residual is not null).</summary>
    public static void Forward(float* x, float* y, int batch, in PoolShape s, float* residual)
    {
        var body = new ForwardBody { X = x, Y = y, Residual = residual, Shape = s, Vectorized = UsesStrideTwoRows(s) };
        Workers.For(batch * s.Channels, ref body);
    }

    /// <summary>dx (= or +=) dy routed to each window's first maximum.</summary>
    public static void Backward(float* dy, float* x, float* dx, int batch, in PoolShape s, bool accumulate)
    {
        var body = new BackwardBody { Dy = dy, X = x, Dx = dx, Shape = s, Accumulate = accumulate, Vectorized = UsesStrideTwoRows(s) };
        Workers.For(batch * s.Channels, ref body);
    }

    // Stride-2 pooling (Xception's) on the AVX-512 path works 16 windows at a time: the forward pass on the column
    // maxima (StrideTwoMaxima), the backward on rows split into even and odd columns (StrideTwoPoolRow); other
    // strides and the Vector256 path use the scalar window pass below.
    private static bool UsesStrideTwoRows(in PoolShape s) => s.Stride == 2 && SimdPath.Current == SimdWidth.Vector512;

    // Floats of the -infinity-padded row: every window of the row fits, the input row after PadLeft cells, and what
    // the 16-window pass reads.
    private static int PaddedWidth(in PoolShape s) =>
        Math.Max(Math.Max(((s.OutWidth - 1) * s.Stride) + s.Kernel, s.PadLeft + s.InWidth), StrideTwoMaxima.PaddedFloats(s));

    // The input rows output row oh's windows cover, clipped to the input.
    private static (int First, int End) WindowRows(in PoolShape s, int oh)
    {
        int h0 = (oh * s.Stride) - s.PadTop;
        return (Math.Max(h0, 0), Math.Min(h0 + s.Kernel, s.InHeight));
    }

    // padded[PadLeft + iw] = the maximum, row after row, of column iw over the input rows output row oh's windows
    // cover: one loop over the columns, with no library call per input row (the rows are 10 to 147 floats).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnMaxima(float* plane, in PoolShape s, int oh, float* padded)
    {
        (int first, int end) = WindowRows(s, oh);
        float* top = plane + ((long)first * s.InWidth), columns = padded + s.PadLeft;
        int iw = 0;
        for (; iw <= s.InWidth - Vector<float>.Count; iw += Vector<float>.Count)
        {
            Vector<float> max = Vector.Load(top + iw);
            for (int ih = first + 1; ih < end; ih++)
            {
                max = Vector.Max(max, Vector.Load(plane + ((long)ih * s.InWidth) + iw));
            }

            max.Store(columns + iw);
        }

        for (; iw < s.InWidth; iw++)
        {
            float max = top[iw];
            for (int ih = first + 1; ih < end; ih++)
            {
                max = MathF.Max(max, plane[((long)ih * s.InWidth) + iw]);
            }

            columns[iw] = max;
        }
    }

    // maxima[ow] = max over window (oh, ow) of the plane; padded must hold PaddedWidth floats, -infinity outside the input.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowMaxima(float* plane, in PoolShape s, int oh, float* padded, float* maxima)
    {
        ColumnMaxima(plane, s, oh, padded);
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            float* window = padded + (ow * s.Stride);
            float max = window[0];
            for (int kw = 1; kw < s.Kernel; kw++)
            {
                max = MathF.Max(max, window[kw]);
            }

            maxima[ow] = max;
        }
    }

    private static float* PaddedRow(in PoolShape s)
    {
        int width = PaddedWidth(s);
        float* padded = ThreadScratch.Get(ScratchBuffer.Plane0, width);
        new Span<float>(padded, width).Fill(float.NegativeInfinity);
        return padded;
    }

    // Index in the plane of the first maximum of window (oh, ow) in row-major order: strictly greater replaces, so a
    // later equal value does not displace the first maximum. The slow path, for windows whose maximum is NaN.
    private static int ArgMax(float* plane, in PoolShape s, int oh, int ow)
    {
        (int hLo, int hHi) = WindowRows(s, oh);
        int w0 = (ow * s.Stride) - s.PadLeft;
        int wLo = Math.Max(w0, 0), wHi = Math.Min(w0 + s.Kernel, s.InWidth);
        int best = (hLo * s.InWidth) + wLo;
        float bestValue = plane[best];
        for (int ih = hLo; ih < hHi; ih++)
        {
            for (int iw = wLo; iw < wHi; iw++)
            {
                int index = (ih * s.InWidth) + iw;
                if (plane[index] > bestValue)
                {
                    bestValue = plane[index];
                    best = index;
                }
            }
        }

        return best;
    }

    // dx[first cell of window (oh, ow) in row-major order equal to its maximum] += dy, for one output row. Each window
    // is scanned backwards with a conditional move, not forwards with an early exit: where the maximum sits is random,
    // so that exit branch would mispredict about every other window.
    private static void RouteRow(float* plane, in PoolShape s, int oh, float* maxima, float* dy, float* dx)
    {
        (int first, int end) = WindowRows(s, oh);
        for (int ow = 0; ow < s.OutWidth; ow++)
        {
            float max = maxima[ow];
            int w0 = (ow * s.Stride) - s.PadLeft;
            int wLo = Math.Max(w0, 0), wHi = Math.Min(w0 + s.Kernel, s.InWidth);
            int best = -1;
            for (int ih = end - 1; ih >= first; ih--)
            {
                float* row = plane + (ih * s.InWidth);
                for (int iw = wHi - 1; iw >= wLo; iw--)
                {
                    best = row[iw] == max ? (ih * s.InWidth) + iw : best;
                }
            }

            // No cell equals a NaN maximum: fall back to the strict comparison scan.
            dx[best >= 0 ? best : ArgMax(plane, s, oh, ow)] += dy[ow];
        }
    }

    private struct ForwardBody : IParallelBody
    {
        public float* X, Y, Residual;
        public PoolShape Shape;
        public bool Vectorized;

        // Called once per thread per pass, so tiering would leave it in on-stack-replacement code: optimize it at once.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            PoolShape s = Shape;
            float* padded = PaddedRow(s);
            long inPlane = (long)s.InHeight * s.InWidth, outPlane = (long)s.OutHeight * s.OutWidth;
            for (int plane = begin; plane < end; plane++)
            {
                float* y = Y + (plane * outPlane);
                for (int oh = 0; oh < s.OutHeight; oh++)
                {
                    float* row = y + (oh * s.OutWidth);
                    if (Vectorized)
                    {
                        ColumnMaxima(X + (plane * inPlane), s, oh, padded);
                        StrideTwoMaxima.Row(padded, s, row, Residual == null ? null : Residual + (plane * outPlane) + (oh * s.OutWidth));
                        continue;
                    }

                    RowMaxima(X + (plane * inPlane), s, oh, padded, row);

                    if (Residual != null)
                    {
                        var outputs = new Span<float>(row, s.OutWidth);
                        TensorPrimitives.Add(outputs, new ReadOnlySpan<float>(Residual + (plane * outPlane) + (oh * s.OutWidth), s.OutWidth), outputs);
                    }
                }
            }
        }
    }

    private struct BackwardBody : IParallelBody
    {
        public float* Dy, X, Dx;
        public PoolShape Shape;
        public bool Accumulate, Vectorized;

        // Called once per thread per pass, so tiering would leave it in on-stack-replacement code: optimize it at once.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            PoolShape s = Shape;
            float* padded = PaddedRow(s);
            float* maxima = ThreadScratch.Get(ScratchBuffer.Plane1, 2L * StrideTwoPoolRow.Padded(s));
            int* firsts = (int*)(maxima + StrideTwoPoolRow.Padded(s));
            var rows = Vectorized ? new StrideTwoPoolRow(s) : default;
            long inPlane = (long)s.InHeight * s.InWidth, outPlane = (long)s.OutHeight * s.OutWidth;
            for (int plane = begin; plane < end; plane++)
            {
                float* x = X + (plane * inPlane);
                float* dx = Dx + (plane * inPlane);
                float* dy = Dy + (plane * outPlane);
                if (!Accumulate)
                {
                    new Span<float>(dx, (int)inPlane).Clear();
                }

                for (int oh = 0; oh < s.OutHeight; oh++)
                {
                    if (Vectorized)
                    {
                        rows.Compute(x, oh, maxima, firsts);
                        for (int ow = 0; ow < s.OutWidth; ow++)
                        {
                            dx[firsts[ow] >= 0 ? firsts[ow] : ArgMax(x, s, oh, ow)] += dy[(oh * s.OutWidth) + ow];
                        }
                    }
                    else
                    {
                        RowMaxima(x, s, oh, padded, maxima);
                        RouteRow(x, s, oh, maxima, dy + (oh * s.OutWidth), dx);
                    }
                }
            }
        }
    }
}
