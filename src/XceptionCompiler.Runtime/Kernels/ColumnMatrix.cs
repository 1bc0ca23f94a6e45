using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The column matrix (im2col) of one image for a dense convolution: row (c, kh, kw) holds, for every output
/// position, the input value under that kernel tap, zero where the tap falls in the padding. GatherRun reads any run
/// of a row of it; ScatterAdd is its transpose (col2im), summing every row back onto the input plane it came from.
/// </summary>
internal static unsafe class ColumnMatrix
{
    /// <summary>
    /// dst[0 .. count) = row <paramref name="tap"/> of the column matrix of f(image), f = ReLU when
    /// <paramref name="relu"/>, at output positions first .. first+count-1 (they may span several output rows). With
    /// <paramref name="evenLanes"/> (the AVX-512 path), a stride-2 row is read 16 positions at a time.
    /// </summary>
    public static void GatherRun(float* image, in ConvShape s, bool relu, int tap, int first, int count, float* dst, bool evenLanes)
    {
        int kw = tap % s.KernelWidth;
        int kh = tap / s.KernelWidth % s.KernelHeight;
        int c = tap / (s.KernelWidth * s.KernelHeight);
        float* plane = image + (long)c * s.InHeight * s.InWidth;
        (int owLo, int owHi) = ValidRange(kw, s.PadLeft, s.Stride, s.InWidth, s.OutWidth);
        for (int done = 0; done < count;)
        {
            int oh = (first + done) / s.OutWidth;
            int ow0 = (first + done) - oh * s.OutWidth;
            int ow1 = Math.Min(s.OutWidth, ow0 + count - done);
            float* row = dst + done - ow0;
            done += ow1 - ow0;
            int ih = oh * s.Stride - s.PadTop + kh;
            if ((uint)ih >= (uint)s.InHeight)
            {
                new Span<float>(row + ow0, ow1 - ow0).Clear();
                continue;
            }

            // Inside the row: zeros left of the input, the input, zeros right of it.
            int lo = Math.Clamp(owLo, ow0, ow1), hi = Math.Clamp(owHi, lo, ow1);
            new Span<float>(row + ow0, lo - ow0).Clear();
            new Span<float>(row + hi, ow1 - hi).Clear();
            float* src = plane + (long)ih * s.InWidth + lo * s.Stride - s.PadLeft + kw;
            if (s.Stride == 1)
            {
                VectorRows.CopyRelu(src, row + lo, hi - lo, relu);
            }
            else if (s.Stride == 2 && evenLanes)
            {
                StrideTwoRun(src, row + lo, hi - lo, relu);
            }
            else
            {
                for (int ow = lo; ow < hi; ow++, src += s.Stride)
                {
                    row[ow] = relu ? MathF.Max(*src, 0f) : *src;
                }
            }
        }
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

    // dst[i] = f(src[2 i]) for i in [0, count), reading nothing past src[2 (count - 1)].
    private static void StrideTwoRun(float* src, float* dst, int count, bool relu)
    {
        int i = 0;
        for (; i + EvenLanes.Count < count; i += EvenLanes.Count)
        {
            Vector512<float> v = EvenLanes.Load(src + 2 * i);
            (relu ? Vector512.Max(v, Vector512<float>.Zero) : v).Store(dst + i);
        }

        int rest = count - i;
        Vector512<float> last = EvenLanes.LoadFirst(src + 2 * i, rest);
        Avx512F.MaskStore(dst + i, EvenLanes.First(rest), relu ? Vector512.Max(last, Vector512<float>.Zero) : last);
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
