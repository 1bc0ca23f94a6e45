using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Depthwise K x K convolution (one filter per channel, weights [C, 1, K, K]). A 3 x 3 'same' convolution (every one
/// in Xception) runs on the planes as stored, with column masks (<see cref="SamePlane"/>). Any other shape copies each
/// (image, channel) plane into a zero-padded <see cref="PaddedGrid"/> in per-thread scratch; at stride 1 the
/// convolution then runs as a vectorized 1-D sweep with K*K fixed offsets, other strides use plain loops on the grid.
/// Forward and data gradient split planes across threads; the weight gradient, alone or with the data gradient
/// (<see cref="Backward"/>), splits channels (each thread sums its channels over the whole batch), so every result is
/// independent of the thread count.
/// The input may be read through a <see cref="ChannelAffine"/> prologue (a batch norm folded in) before the ReLU one:
/// every method then sees the input as that batch norm's output, which is never stored.
/// </summary>
public static unsafe class Depthwise
{
    /// <summary>y = depthwise(f(x), w), f = ReLU when <paramref name="reluInput"/> after the prologue (x is not modified).</summary>
    public static void Forward(float* x, float* w, float* y, int batch, in DepthwiseShape s, bool reluInput, ChannelAffine prologue = default)
    {
        var body = new ForwardBody { X = x, W = w, Y = y, Shape = s, Relu = reluInput, Prologue = prologue, InPlace = PlaneSweep512.Applies };
        Workers.For(batch * s.Channels, ref body);
    }

    /// <summary>
    /// dx (= or +=) the transposed convolution of dy, masked by prologue(x) &gt; 0 when <paramref name="reluInput"/>;
    /// dx is the gradient of the prologue's output (the folded batch norm's backward takes it from there).
    /// </summary>
    public static void BackwardData(float* dy, float* w, float* x, float* dx, int batch, in DepthwiseShape s, bool reluInput, bool accumulate, ChannelAffine prologue = default)
    {
        var body = new DataBody { Dy = dy, W = w, X = x, Dx = dx, Shape = s, Relu = reluInput, Accumulate = accumulate, Prologue = prologue };
        Workers.For(batch * s.Channels, ref body);
    }

    /// <summary>
    /// Both gradients: dW += the weight gradient, summed over the batch (as <see cref="BackwardWeights"/>), and dx (= or
    /// +=) the data gradient (as <see cref="BackwardData"/>). Where <see cref="SamePlane"/> applies, one pass over each
    /// plane computes both: on the AVX-512 path reading x (through the prologue) and dy where they are stored
    /// (<see cref="PlaneSweep512"/>), otherwise from bands that f(x) and dy are copied onto once, f(x)'s band being the
    /// ReLU mask; elsewhere the two kernels run in turn. A null <paramref name="dx"/> computes the weight gradient
    /// only. Unless <paramref name="recompute"/> is null, the forward's output is also computed into it, in the same
    /// pass; it may be dy's own buffer, each plane being written once it has been read. Unless
    /// <paramref name="foldedNorm"/> is none, the backward of the batch norm folded into the prologue follows each
    /// channel's planes, from dx (which it needs overwritten) and x.
    /// </summary>
    public static void Backward(float* dy, float* w, float* x, float* dx, float* dw, int batch, in DepthwiseShape s, bool reluInput, bool accumulate,
        ChannelAffine prologue = default, float* recompute = null, FoldedNormBackward foldedNorm = default)
    {
        if (!foldedNorm.IsNone && (dx == null || accumulate))
        {
            throw new ArgumentException("the folded batch norm's backward reads dx as its output gradient: dx must be computed, and overwritten", nameof(foldedNorm));
        }

        if (!SamePlane.Applies(s))
        {
            BackwardWeights(dy, x, dw, batch, s, reluInput, prologue);
            if (dx != null)
            {
                BackwardData(dy, w, x, dx, batch, s, reluInput, accumulate, prologue);
            }

            if (recompute != null)
            {
                Forward(x, w, recompute, batch, s, reluInput, prologue);
            }

            if (!foldedNorm.IsNone)
            {
                foldedNorm.AllChannels(dx, x, batch, s.Channels, s.InHeight * s.InWidth);
            }

            return;
        }

        var body = new SamePlaneBackwardBody
        {
            Dy = dy, W = w, X = x, Dx = dx, Dw = dw, Recompute = recompute, Batch = batch, Shape = s, Relu = reluInput, Accumulate = accumulate, Prologue = prologue,
            InPlace = PlaneSweep512.Applies, FoldedNorm = foldedNorm,
        };
        Workers.For(s.Channels, ref body);
    }

    /// <summary>dW += correlation of dy with f(x), summed over the batch.</summary>
    public static void BackwardWeights(float* dy, float* x, float* dw, int batch, in DepthwiseShape s, bool reluInput, ChannelAffine prologue = default)
    {
        var body = new WeightsBody { Dy = dy, X = x, Dw = dw, Batch = batch, Shape = s, Relu = reluInput, Prologue = prologue };
        Workers.For(s.Channels, ref body);
    }

    private struct ForwardBody : IParallelBody
    {
        public float* X, W, Y;
        public DepthwiseShape Shape;
        public bool Relu, InPlace;
        public ChannelAffine Prologue;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            DepthwiseShape s = Shape;
            int taps = s.Kernel * s.Kernel;
            int inPlane = s.InHeight * s.InWidth, outPlane = s.OutHeight * s.OutWidth;
            int* offsets = stackalloc int[taps];
            var runs = new DepthwiseRuns(s, Relu, Prologue, InPlace, offsets);
            for (int plane = begin; plane < end; plane++)
            {
                int c = plane % s.Channels;
                float* run = runs.Compute(X + (long)plane * inPlane, c, W + c * taps, 0, outPlane);
                Buffer.MemoryCopy(run, Y + (long)plane * outPlane, outPlane * sizeof(float), outPlane * sizeof(float));
            }
        }
    }

    /// <summary>Floats the output buffer of <see cref="ForwardRows"/> needs for every row of a plane.</summary>
    internal static long RowsFloats(in PaddedGrid grid, in DepthwiseShape s) => (long)s.OutHeight * grid.Width + OffsetSweep.Overrun;

    /// <summary>
    /// Output rows <paramref name="row0"/> .. <paramref name="row1"/>-1 of one (image, channel) plane, from column
    /// <paramref name="from"/> of the first row to column <paramref name="to"/>-1 of the last (whole rows between),
    /// output (oh, ow) at output + (oh - row0) * grid.Width + ow. Only the input rows those outputs read are put on the
    /// grid (in <paramref name="band"/>, <see cref="PaddedGrid.Floats"/> long, through the prologue), so a caller that
    /// needs a few rows copies and sweeps no more. Every output is the same FMA chain over the taps whatever was asked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardRows(in PaddedGrid grid, in DepthwiseShape s, float* plane, float* w, int* offsets,
        bool relu, bool affine, float scale, float shift, int row0, int row1, int from, int to, float* band, float* output)
    {
        // Grid rows first .. first+gridRows-1 hold every window of the output rows; input row ih is grid row ih + PadTop.
        int first = row0 * s.Stride;
        int gridRows = (row1 - 1) * s.Stride + s.Kernel - first;
        int ih0 = Math.Max(0, first - s.PadTop), ih1 = Math.Min(s.InHeight, first + gridRows - s.PadTop);
        float* xp = grid.Scatter(plane + (long)ih0 * s.InWidth, Math.Max(0, ih1 - ih0), s.InWidth, ih0 + s.PadTop - first, s.PadLeft, gridRows,
            relu, band, affine, scale, shift);
        int taps = s.Kernel * s.Kernel;
        int last = (row1 - 1 - row0) * grid.Width + to;
        if (s.Stride == 1)
        {
            OffsetSweep.Correlate(xp + from, offsets, w, taps, output + from, last - from);
            return;
        }

        for (int r = 0; r < row1 - row0; r++)
        {
            for (int ow = r == 0 ? from : 0; ow < (r == row1 - 1 - row0 ? to : s.OutWidth); ow++)
            {
                float* window = xp + r * s.Stride * grid.Width + ow * s.Stride;
                float acc = 0f;
                for (int t = 0; t < taps; t++)
                {
                    acc = MathF.FusedMultiplyAdd(window[offsets[t]], w[t], acc);
                }

                output[r * grid.Width + ow] = acc;
            }
        }
    }

    private struct DataBody : IParallelBody
    {
        public float* Dy, W, X, Dx;
        public DepthwiseShape Shape;
        public bool Relu, Accumulate;
        public ChannelAffine Prologue;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            DepthwiseShape s = Shape;
            var grid = new PaddedGrid(s);
            int taps = s.Kernel * s.Kernel;
            int inPlane = s.InHeight * s.InWidth, outPlane = s.OutHeight * s.OutWidth;
            float* gradientBuffer = ThreadScratch.Get(ScratchBuffer.Plane1, grid.Floats);
            float* sum = ThreadScratch.Get(ScratchBuffer.Plane2, (long)grid.Height * grid.Width + OffsetSweep.Overrun);
            int* offsets = stackalloc int[taps];
            int* negated = stackalloc int[taps];
            TapOffsets(s.Kernel, grid.Width, offsets);
            for (int t = 0; t < taps; t++)
            {
                negated[t] = -offsets[t];
            }

            for (int plane = begin; plane < end; plane++)
            {
                float* w = W + plane % s.Channels * taps;
                float* dy = Dy + (long)plane * outPlane;
                // sum[i] accumulates the gradient of grid cell i; only rows PadTop .. PadTop+IH-1 are needed.
                float* rows = sum + s.PadTop * grid.Width;
                if (s.Stride == 1)
                {
                    // Grid cell i gathers dy at i - offset(t) for every tap; dy sits on the grid with zero columns
                    // past OW and zero lead rows, so out-of-range taps read zeros.
                    float* dyg = grid.Scatter(dy, s.OutHeight, s.OutWidth, 0, 0, grid.Height, relu: false, gradientBuffer);
                    OffsetSweep.Correlate(dyg + s.PadTop * grid.Width, negated, w, taps, rows, s.InHeight * grid.Width);
                }
                else
                {
                    new Span<float>(sum, grid.Height * grid.Width).Clear();
                    for (int oh = 0; oh < s.OutHeight; oh++)
                    {
                        for (int ow = 0; ow < s.OutWidth; ow++)
                        {
                            float* window = sum + oh * s.Stride * grid.Width + ow * s.Stride;
                            float g = dy[oh * s.OutWidth + ow];
                            for (int t = 0; t < taps; t++)
                            {
                                window[offsets[t]] = MathF.FusedMultiplyAdd(w[t], g, window[offsets[t]]);
                            }
                        }
                    }
                }

                float* x = X + (long)plane * inPlane;
                float* dx = Dx + (long)plane * inPlane;
                int c = plane % s.Channels;
                bool affine = !Prologue.IsNone;
                (float scale, float shift) = Prologue.ForChannel(c);
                for (int ih = 0; ih < s.InHeight; ih++)
                {
                    VectorRows.StoreGradient(rows + ih * grid.Width + s.PadLeft, Relu ? x + ih * s.InWidth : null,
                        dx + ih * s.InWidth, s.InWidth, Accumulate, affine, scale, shift);
                }
            }
        }
    }

    // Splits channels, as WeightsBody does: each thread sums its channels' weight gradients over the whole batch.
    private struct SamePlaneBackwardBody : IParallelBody
    {
        public float* Dy, W, X, Dx, Dw, Recompute;
        public int Batch;
        public DepthwiseShape Shape;
        public bool Relu, Accumulate, InPlace;
        public ChannelAffine Prologue;
        public FoldedNormBackward FoldedNorm;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            DepthwiseShape s = Shape;
            var plane = new SamePlane(s);
            int size = s.InHeight * s.InWidth, taps = s.Kernel * s.Kernel;
            float* masks = ThreadScratch.Get(ScratchBuffer.Masks, plane.MaskFloats);
            plane.WriteMasks(masks);
            // The bands the Vector256 path copies f(x) and dy onto, and the plane it sweeps into; the in-place path
            // writes where the results go.
            float* inputBand = InPlace ? null : ThreadScratch.Get(ScratchBuffer.Plane0, plane.PlaneBandFloats);
            float* gradientBand = InPlace ? null : ThreadScratch.Get(ScratchBuffer.Plane1, plane.PlaneBandFloats);
            float* sum = InPlace ? null : ThreadScratch.Get(ScratchBuffer.Plane2, SamePlane.OutputFloats(size));
            float* turned = stackalloc float[taps];
            double* totals = stackalloc double[taps];
            bool affine = !Prologue.IsNone;
            for (int c = begin; c < end; c++)
            {
                float* w = W + c * taps;
                for (int t = 0; t < taps; t++)
                {
                    turned[t] = w[taps - 1 - t];
                }

                new Span<double>(totals, taps).Clear();
                (float scale, float shift) = Prologue.ForChannel(c);
                for (int n = 0; n < Batch; n++)
                {
                    long at = ((long)n * s.Channels + c) * size;
                    if (InPlace)
                    {
                        PlaneInPlace(plane, at, w, turned, masks, totals, affine, scale, shift);
                    }
                    else
                    {
                        PlaneOnBands(plane, at, w, turned, masks, inputBand, gradientBand, sum, totals, affine, scale, shift);
                    }
                }

                for (int t = 0; t < taps; t++)
                {
                    Dw[c * taps + t] += (float)totals[t];
                }

                if (!FoldedNorm.IsNone)
                {
                    // The channel's planes of dx and x are still in cache.
                    FoldedNorm.Channel(Dx, X, Batch, s.Channels, size, c);
                }
            }
        }

        // One plane's share on the AVX-512 path: x and dy read where they are stored (PlaneSweep512), no band copied,
        // and the sweeps write straight into dx and the recomputed output.
        private readonly void PlaneInPlace(in SamePlane plane, long at, float* w, float* turned, float* masks, double* totals,
            bool affine, float scale, float shift)
        {
            PlaneSweep512.TapDots(plane, Dy + at, X + at, masks, Relu, affine, scale, shift, totals);
            if (Dx != null)
            {
                // As on the bands (below); the ReLU mask f(x) > 0 is FMA(x, scale, shift) > 0 (or x > 0), read from x.
                if (!Relu)
                {
                    DataGradient<Off, Off>(plane, at, masks, turned, scale, shift);
                }
                else if (affine)
                {
                    DataGradient<On, On>(plane, at, masks, turned, scale, shift);
                }
                else
                {
                    DataGradient<On, Off>(plane, at, masks, turned, scale, shift);
                }
            }

            if (Recompute != null)
            {
                var output = new GradientRunOutput<Off, Off, Off>(Recompute + at, null, 1f, 0f);
                PlaneSweep512.Correlate(plane, X + at, 0, plane.Width * plane.Height, masks, w, Relu, affine, scale, shift, ref output);
            }
        }

        private readonly void DataGradient<TMask, TAffine>(in SamePlane plane, long at, float* masks, float* turned, float scale, float shift)
            where TMask : struct, ISwitch
            where TAffine : struct, ISwitch
        {
            if (Accumulate)
            {
                DataGradient<TMask, TAffine, On>(plane, at, masks, turned, scale, shift);
            }
            else
            {
                DataGradient<TMask, TAffine, Off>(plane, at, masks, turned, scale, shift);
            }
        }

        private readonly void DataGradient<TMask, TAffine, TAccumulate>(in SamePlane plane, long at, float* masks, float* turned, float scale, float shift)
            where TMask : struct, ISwitch
            where TAffine : struct, ISwitch
            where TAccumulate : struct, ISwitch
        {
            var output = new GradientRunOutput<TMask, TAffine, TAccumulate>(Dx + at, X + at, scale, shift);
            PlaneSweep512.Correlate(plane, Dy + at, 0, plane.Width * plane.Height, masks, turned, relu: false, affine: false, 1f, 0f, ref output);
        }

        // One plane's share with f(x) and dy copied onto bands first (the Vector256 path).
        private readonly void PlaneOnBands(in SamePlane plane, long at, float* w, float* turned, float* masks, float* inputBand, float* gradientBand,
            float* sum, double* totals, bool affine, float scale, float shift)
        {
            int size = plane.Width * plane.Height, bandRows = plane.Height + 2;
            // Both bands start one zero row above the plane; their row 1 is the plane's row 0.
            float* input = plane.FillBand(X + at, -1, bandRows, Relu, affine, scale, shift, inputBand) + plane.Width;
            float* gradient = plane.FillBand(Dy + at, -1, bandRows, relu: false, affine: false, 1f, 0f, gradientBand) + plane.Width;
            plane.TapDots(gradient, input, masks, totals);
            if (Dx != null)
            {
                // The data gradient is the correlation of dy with the kernel turned by 180 degrees (same masks:
                // input i and output q are neighbours in a row exactly when q's column, i's plus kw - 1, is in it).
                plane.Correlate(gradient, masks, turned, 0, sum, size);
                VectorRows.StoreGradient(sum, Relu ? input : null, Dx + at, size, Accumulate);
            }

            if (Recompute != null)
            {
                // The sweep rounds up to whole steps: through scratch, so the plane after this one is not touched.
                plane.Correlate(input, masks, w, 0, sum, size);
                Buffer.MemoryCopy(sum, Recompute + at, (long)size * sizeof(float), (long)size * sizeof(float));
            }
        }
    }

    private struct WeightsBody : IParallelBody
    {
        public float* Dy, X, Dw;
        public int Batch;
        public DepthwiseShape Shape;
        public bool Relu;
        public ChannelAffine Prologue;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            DepthwiseShape s = Shape;
            var grid = new PaddedGrid(s);
            int taps = s.Kernel * s.Kernel;
            int inPlane = s.InHeight * s.InWidth, outPlane = s.OutHeight * s.OutWidth;
            float* input = ThreadScratch.Get(ScratchBuffer.Plane0, grid.Floats);
            float* gradientBuffer = ThreadScratch.Get(ScratchBuffer.Plane1, grid.Floats);
            int* offsets = stackalloc int[taps];
            double* totals = stackalloc double[taps];
            TapOffsets(s.Kernel, grid.Width, offsets);
            for (int c = begin; c < end; c++)
            {
                new Span<double>(totals, taps).Clear();
                for (int n = 0; n < Batch; n++)
                {
                    long plane = (long)n * s.Channels + c;
                    float* xp = ScatterInput(grid, X + plane * inPlane, s.InHeight, s.PadTop, grid.Height, c, s, Relu, Prologue, input);
                    float* dy = Dy + plane * outPlane;
                    if (s.Stride == 1)
                    {
                        // dw[t] = sum over grid positions j of dy(j) * x(j + offset(t)); dy is zero past OW in each row.
                        float* dyg = grid.Scatter(dy, s.OutHeight, s.OutWidth, 0, 0, grid.Height, relu: false, gradientBuffer);
                        OffsetSweep.TapDots(dyg, xp, offsets, taps, s.OutHeight * grid.Width, totals);
                    }

                    else
                    {
                        for (int oh = 0; oh < s.OutHeight; oh++)
                        {
                            for (int ow = 0; ow < s.OutWidth; ow++)
                            {
                                float* window = xp + oh * s.Stride * grid.Width + ow * s.Stride;
                                double g = dy[oh * s.OutWidth + ow];
                                for (int t = 0; t < taps; t++)
                                {
                                    totals[t] += g * window[offsets[t]];
                                }
                            }
                        }
                    }
                }

                for (int t = 0; t < taps; t++)
                {
                    Dw[c * taps + t] += (float)totals[t];
                }
            }
        }
    }

    // Input rows of channel c on the padded grid (from grid row top, in a band of gridRows), through the prologue:
    // the folded batch norm, then the ReLU.
    private static float* ScatterInput(in PaddedGrid grid, float* rows, int count, int top, int gridRows, int c, in DepthwiseShape s, bool relu, ChannelAffine prologue, float* buffer)
    {
        (float scale, float shift) = prologue.ForChannel(c);
        return grid.Scatter(rows, count, s.InWidth, top, s.PadLeft, gridRows, relu, buffer, affine: !prologue.IsNone, scale, shift);
    }

    internal static void TapOffsets(int kernel, int pitch, int* offsets)
    {
        for (int kh = 0; kh < kernel; kh++)
        {
            for (int kw = 0; kw < kernel; kw++)
            {
                offsets[kh * kernel + kw] = kh * pitch + kw;
            }
        }
    }
}
