using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The column matrix (im2col) of one image for a dense convolution: row (c, kh, kw) holds, for every output
/// position, the input value under that kernel tap, zero where the tap falls in the padding. Gather builds it;
/// ScatterAdd is its transpose (col2im), summing every row back onto the input plane it came from.
/// </summary>
internal static unsafe class ColumnMatrix
{
    /// <summary>cols[(c*KH + kh)*KW + kw, oh*OW + ow] = f(x[c, oh*S - PT + kh, ow*S - PL + kw]), f = ReLU when relu.</summary>
    public static void Gather(float* image, float* cols, in ConvShape s, bool relu)
    {
        var body = new GatherBody { Image = image, Cols = cols, Shape = s, Relu = relu };
        Workers.For(s.InChannels * s.KernelHeight * s.KernelWidth, ref body);
    }

    /// <summary>
    /// dx (= or +=) the column-matrix gradient summed back onto the input, masked by x &gt; 0 when
    /// <paramref name="reluMaskSource"/> is not null. Channels are independent, so each thread owns whole planes.
    /// </summary>
    public static void ScatterAdd(float* cols, float* reluMaskSource, float* dx, in ConvShape s, bool accumulate)
    {
        var body = new ScatterBody { Cols = cols, Mask = reluMaskSource, Dx = dx, Shape = s, Accumulate = accumulate };
        Workers.For(s.InChannels, ref body);
    }

    // The output columns whose tap at offset `tap` (kw or kh) lands inside [0, inSize): [lo, hi).
    private static (int Lo, int Hi) ValidRange(int tap, int pad, int stride, int inSize, int outSize)
    {
        // in = o*stride - pad + tap must satisfy 0 <= in < inSize.
        int lo = Math.Max(0, CeilDiv(pad - tap, stride));
        int hi = Math.Min(outSize, CeilDiv(inSize + pad - tap, stride));
        return (lo, Math.Max(lo, hi));
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    private struct GatherBody : IParallelBody
    {
        public float* Image, Cols;
        public ConvShape Shape;
        public bool Relu;

        public readonly void Run(int begin, int end)
        {
            ConvShape s = Shape;
            int outSpatial = s.OutHeight * s.OutWidth;
            for (int row = begin; row < end; row++)
            {
                int kw = row % s.KernelWidth;
                int kh = row / s.KernelWidth % s.KernelHeight;
                int c = row / (s.KernelWidth * s.KernelHeight);
                float* plane = Image + (long)c * s.InHeight * s.InWidth;
                float* dst = Cols + (long)row * outSpatial;
                (int owLo, int owHi) = ValidRange(kw, s.PadLeft, s.Stride, s.InWidth, s.OutWidth);
                for (int oh = 0; oh < s.OutHeight; oh++, dst += s.OutWidth)
                {
                    int ih = oh * s.Stride - s.PadTop + kh;
                    if ((uint)ih >= (uint)s.InHeight)
                    {
                        new Span<float>(dst, s.OutWidth).Clear();
                        continue;
                    }

                    new Span<float>(dst, owLo).Clear();
                    new Span<float>(dst + owHi, s.OutWidth - owHi).Clear();
                    float* src = plane + (long)ih * s.InWidth + owLo * s.Stride - s.PadLeft + kw;
                    if (s.Stride == 1)
                    {
                        VectorRows.CopyRelu(src, dst + owLo, owHi - owLo, Relu);
                    }
                    else
                    {
                        for (int ow = owLo; ow < owHi; ow++, src += s.Stride)
                        {
                            dst[ow] = Relu ? MathF.Max(*src, 0f) : *src;
                        }
                    }
                }
            }
        }
    }

    private struct ScatterBody : IParallelBody
    {
        public float* Cols, Mask, Dx;
        public ConvShape Shape;
        public bool Accumulate;

        public readonly void Run(int begin, int end)
        {
            ConvShape s = Shape;
            long planeSize = (long)s.InHeight * s.InWidth;
            int outSpatial = s.OutHeight * s.OutWidth;
            float* sum = ThreadScratch.Get(ScratchBuffer.Plane0, planeSize);
            for (int c = begin; c < end; c++)
            {
                new Span<float>(sum, (int)planeSize).Clear();
                for (int kh = 0; kh < s.KernelHeight; kh++)
                {
                    for (int kw = 0; kw < s.KernelWidth; kw++)
                    {
                        float* src = Cols + (long)((c * s.KernelHeight + kh) * s.KernelWidth + kw) * outSpatial;
                        (int owLo, int owHi) = ValidRange(kw, s.PadLeft, s.Stride, s.InWidth, s.OutWidth);
                        for (int oh = 0; oh < s.OutHeight; oh++)
                        {
                            int ih = oh * s.Stride - s.PadTop + kh;
                            if ((uint)ih >= (uint)s.InHeight)
                            {
                                continue;
                            }

                            float* dst = sum + (long)ih * s.InWidth - s.PadLeft + kw;
                            float* row = src + (long)oh * s.OutWidth;
                            for (int ow = owLo; ow < owHi; ow++)
                            {
                                dst[ow * s.Stride] += row[ow];
                            }
                        }
                    }
                }

                long offset = c * planeSize;
                VectorRows.StoreGradient(sum, Mask == null ? null : Mask + offset, Dx + offset, planeSize, Accumulate);
            }
        }
    }
}
