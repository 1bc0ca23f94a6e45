using System.Numerics;
using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The 3 x 3, stride-1, padding-1 depthwise convolution (every one in Xception) computed on planes laid out as they are
/// stored: input and output share the row pitch W, so output q = oh*W + ow reads input q + (kh - 1)*W + kw - 1 for
/// tap (kh, kw). Input rows are copied into a band (through the prologue) between zero rows; a tap that would run past
/// a row's end into the next row is zeroed by a column mask instead of a padding column. Runs of output positions are
/// then contiguous, as a GEMM panel or a stored plane wants them, and no padding column is written, swept or dropped.
/// Each output is the same FMA chain, tap by tap, as on a <see cref="PaddedGrid"/>: a masked tap adds the product
/// with an exact zero, as a padding cell does. Other shapes take the <see cref="PaddedGrid"/> path.
/// </summary>
internal readonly unsafe struct SamePlane
{
    private const int Kernel = 3;

    public SamePlane(in DepthwiseShape s)
    {
        Width = s.InWidth;
        Height = s.InHeight;
    }

    /// <summary>Whether a shape's depthwise convolution runs here: 3 x 3, stride 1, padding 1, output as large as input.</summary>
    public static bool Applies(in DepthwiseShape s) =>
        s.Kernel == Kernel && s.Stride == 1 && s.PadTop == 1 && s.PadLeft == 1 && s.OutHeight == s.InHeight && s.OutWidth == s.InWidth;

    /// <summary>Row pitch of input, output and band.</summary>
    public int Width { get; }

    /// <summary>Rows of a plane.</summary>
    public int Height { get; }

    /// <summary>Floats of one edge column's mask (see <see cref="WriteMasks"/>): a row's phases and a 16-float vector more.</summary>
    public int MaskStride => Width + Math.Max(Vector<float>.Count, 16);

    /// <summary>Floats the masks of the two edge tap columns take.</summary>
    public int MaskFloats => 2 * MaskStride;

    /// <summary>Floats a sweep computes per step: two vectors, whose FMA chains interleave.</summary>
    public static int Step => 2 * Vector<float>.Count;

    // Floats kept before a band's first row (a left tap of its first output reads one before it) and after its last
    // (the sweeps round up to whole steps and read up to two rows and a column ahead).
    private const int Lead = 1;

    private static int Slack => Step + Kernel;

    /// <summary>Floats a band of <paramref name="rows"/> rows needs.</summary>
    public long BandFloats(int rows) => Lead + (long)rows * Width + Slack;

    /// <summary>Floats the band of a whole plane needs: its rows and a zero row above and below.</summary>
    public long PlaneBandFloats => BandFloats(Height + Kernel - 1);

    /// <summary>Floats a sweep over <paramref name="length"/> positions writes (it rounds up to whole steps).</summary>
    public static long OutputFloats(long length) => length + Step;

    /// <summary>Band rows the outputs of rows <paramref name="row0"/> .. <paramref name="row1"/>-1 read (from row row0 - 1).</summary>
    public static int BandRows(int row0, int row1) => row1 - row0 + Kernel - 1;

    /// <summary>
    /// For the left (kw = 0) and then the right (kw = 2) tap column, a mask over the phases ow of a row (W + 16 of
    /// them, so that a vector of up to 16 floats starting at any phase reads it whole): all bits set where input
    /// column ow + kw - 1 lies in the row, zero where the tap would read the neighbouring row's cells. The middle
    /// column's taps never leave the row.
    /// </summary>
    public void WriteMasks(float* masks)
    {
        uint* bits = (uint*)masks;
        for (int p = 0; p < MaskStride; p++)
        {
            int column = p % Width;
            bits[p] = column > 0 ? uint.MaxValue : 0u;
            bits[MaskStride + p] = column < Width - 1 ? uint.MaxValue : 0u;
        }
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> (<see cref="BandFloats"/> long) with plane rows first .. first+rows-1 through
    /// x * scale + shift when <paramref name="affine"/> and then ReLU when <paramref name="relu"/>; rows outside the
    /// plane, and the floats before and after the band, are zero. Returns the band's origin, where row
    /// <paramref name="first"/> starts.
    /// </summary>
    public float* FillBand(float* plane, int first, int rows, bool relu, bool affine, float scale, float shift, float* buffer)
    {
        float* origin = buffer + Lead;
        int inside0 = Math.Max(first, 0), inside1 = Math.Max(inside0, Math.Min(first + rows, Height));
        float* data = origin + (long)(inside0 - first) * Width, dataEnd = data + (long)(inside1 - inside0) * Width;
        float* end = origin + (long)rows * Width + Slack;
        new Span<float>(buffer, (int)(data - buffer)).Clear();
        VectorRows.AffineRelu(plane + (long)inside0 * Width, data, dataEnd - data, relu, affine, scale, shift);
        new Span<float>(dataEnd, (int)(end - dataEnd)).Clear();
        return origin;
    }

    /// <summary>
    /// output[i] = sum over the taps t = (kh, kw), in order, of weights[t] * input[i + (kh - 1)*W + kw - 1], with the
    /// tap zeroed where its column's mask is, for i in [0, length) (rounded up to a step): the outputs of band row 1
    /// on, when <paramref name="input"/> points into it. input[0] is at phase (column) <paramref name="phase"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Correlate(float* input, float* masks, float* weights, int phase, float* output, int length)
    {
        var contiguous = new ContiguousOutput(output);
        Correlate(input, masks, weights, phase, ref contiguous, length);
    }

    /// <summary>
    /// As the other overload, with the outputs written through <paramref name="output"/>, a step of <see cref="Step"/>
    /// floats at a time (the last one may reach past <paramref name="length"/>: see <see cref="ISweepOutput.WriteLast"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Correlate<TOutput>(float* input, float* masks, float* weights, int phase, ref TOutput output, int length)
        where TOutput : struct, ISweepOutput
    {
        // The weights stay in registers, each vector's two edge-column masks are loaded once (the middle column's
        // tap never leaves the row), and two vectors' FMA chains interleave: the loop is loads, ANDs and FMAs.
        int width = Vector<float>.Count, stride = MaskStride, step = width % Width;
        nint row = Width;
        float* m0 = masks, m2 = masks + stride;
        var w0 = new Vector<float>(weights[0]); var w1 = new Vector<float>(weights[1]); var w2 = new Vector<float>(weights[2]);
        var w3 = new Vector<float>(weights[3]); var w4 = new Vector<float>(weights[4]); var w5 = new Vector<float>(weights[5]);
        var w6 = new Vector<float>(weights[6]); var w7 = new Vector<float>(weights[7]); var w8 = new Vector<float>(weights[8]);
        float* p = input - row - 1;
        for (int j = 0; j < length; j += 2 * width, p += 2 * width)
        {
            int next = Advance(phase, step, Width);
            Vector<float> a0 = Vector.Load(m0 + phase), a2 = Vector.Load(m2 + phase);
            Vector<float> b0 = Vector.Load(m0 + next), b2 = Vector.Load(m2 + next);
            float* q = p + width;
            Vector<float> acc = Vector.FusedMultiplyAdd(Vector.Load(p) & a0, w0, Vector<float>.Zero);
            Vector<float> bcc = Vector.FusedMultiplyAdd(Vector.Load(q) & b0, w0, Vector<float>.Zero);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + 1), w1, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + 1), w1, bcc);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + 2) & a2, w2, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + 2) & b2, w2, bcc);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + row) & a0, w3, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + row) & b0, w3, bcc);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + row + 1), w4, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + row + 1), w4, bcc);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + row + 2) & a2, w5, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + row + 2) & b2, w5, bcc);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + 2 * row) & a0, w6, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + 2 * row) & b0, w6, bcc);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + 2 * row + 1), w7, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + 2 * row + 1), w7, bcc);
            acc = Vector.FusedMultiplyAdd(Vector.Load(p + 2 * row + 2) & a2, w8, acc);
            bcc = Vector.FusedMultiplyAdd(Vector.Load(q + 2 * row + 2) & b2, w8, bcc);
            if (j + 2 * width <= length)
            {
                output.Write(acc, bcc);
            }
            else
            {
                output.WriteLast(acc, bcc, length - j);
            }
            phase = Advance(next, step, Width);
        }
    }

    /// <summary>
    /// sums[t] += sum over the plane's positions q of gradient[q] * input[q + (kh - 1)*W + kw - 1] for each tap
    /// t = (kh, kw), the tap zeroed where its column's mask is: the weight gradient of one plane. gradient holds the
    /// plane's W*H values and zeros after them up to a whole step; input is a whole-plane band's row 1 (see
    /// <see cref="FillBand"/>). Lanes sum in float over blocks of positions, the blocks in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TapDots(float* gradient, float* input, float* masks, double* sums)
    {
        const int BlockVectors = 64;
        int width = Vector<float>.Count, stride = MaskStride, step = width % Width, length = Width * Height;
        nint row = Width;
        float* m0 = masks, m2 = masks + stride;
        int phase = 0;
        for (int block = 0; block < length; block += BlockVectors * width)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default, s8 = default;
            int blockEnd = Math.Min(length, block + BlockVectors * width);
            for (int j = block; j < blockEnd; j += width)
            {
                // Masking the gradient once per edge tap column zeroes the same products as masking each input.
                Vector<float> g1 = Vector.Load(gradient + j);
                Vector<float> g0 = g1 & Vector.Load(m0 + phase), g2 = g1 & Vector.Load(m2 + phase);
                float* p = input + j - row - 1;
                s0 = Vector.FusedMultiplyAdd(Vector.Load(p), g0, s0);
                s1 = Vector.FusedMultiplyAdd(Vector.Load(p + 1), g1, s1);
                s2 = Vector.FusedMultiplyAdd(Vector.Load(p + 2), g2, s2);
                s3 = Vector.FusedMultiplyAdd(Vector.Load(p + row), g0, s3);
                s4 = Vector.FusedMultiplyAdd(Vector.Load(p + row + 1), g1, s4);
                s5 = Vector.FusedMultiplyAdd(Vector.Load(p + row + 2), g2, s5);
                s6 = Vector.FusedMultiplyAdd(Vector.Load(p + 2 * row), g0, s6);
                s7 = Vector.FusedMultiplyAdd(Vector.Load(p + 2 * row + 1), g1, s7);
                s8 = Vector.FusedMultiplyAdd(Vector.Load(p + 2 * row + 2), g2, s8);
                phase = Advance(phase, step, Width);
            }

            sums[0] += Vector.Sum(s0);
            sums[1] += Vector.Sum(s1);
            sums[2] += Vector.Sum(s2);
            sums[3] += Vector.Sum(s3);
            sums[4] += Vector.Sum(s4);
            sums[5] += Vector.Sum(s5);
            sums[6] += Vector.Sum(s6);
            sums[7] += Vector.Sum(s7);
            sums[8] += Vector.Sum(s8);
        }
    }

    /// <summary>
    /// The phase (column) of the position one vector (step = its width mod W) after one at phase p, in a row of
    /// <paramref name="width"/>, without a branch the predictor could miss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Advance(int p, int step, int width)
    {
        p += step - width;
        return p < 0 ? p + width : p;
    }
}
