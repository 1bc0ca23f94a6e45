using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The AVX-512 form of <see cref="SamePlane.Correlate{TOutput}"/> that reads the plane where it is stored, through the
/// prologue, instead of a band copied through it: 16 outputs at a time, one load per window row (the vector 16 floats
/// on from the last one), the column taps either side made from it and its neighbours by lane shifts. Loads that
/// reach outside the plane are masked and read as zeros, as the band's zero rows. Each output is the same FMA chain,
/// tap by tap, on the same values as the band sweep's, so the two agree bit for bit.
/// </summary>
internal static unsafe class PlaneSweep512
{
    private const int Lanes = 16;

    /// <summary>Whether kernels called from this thread now take this sweep: on the AVX-512 path, with steps of 16 floats.</summary>
    public static bool Applies => SimdPath.Current == SimdWidth.Vector512 && SamePlane.Step == Lanes;

    /// <summary>
    /// output[i] = the 3 x 3 correlation (stride 1, padding 1) of f(plane) with <paramref name="weights"/> at plane
    /// position start + i, for i in [0, length) rounded up to a step, written through <paramref name="output"/>; f(v)
    /// is FMA(v, scale, shift) when <paramref name="affine"/>, then ReLU when <paramref name="relu"/>, as in the band.
    /// <paramref name="masks"/> are <see cref="SamePlane.WriteMasks"/>'.
    /// </summary>
    public static void Correlate<TOutput>(in SamePlane shape, float* plane, int start, int length, float* masks, float* weights,
        bool relu, bool affine, float scale, float shift, ref TOutput output)
        where TOutput : struct, ISweepOutput
    {
        if (affine)
        {
            Correlate<On, TOutput>(shape, plane, start, length, masks, weights, relu, scale, shift, ref output);
        }
        else
        {
            Correlate<Off, TOutput>(shape, plane, start, length, masks, weights, relu, scale, shift, ref output);
        }
    }

    private static void Correlate<TAffine, TOutput>(in SamePlane shape, float* plane, int start, int length, float* masks, float* weights,
        bool relu, float scale, float shift, ref TOutput output)
        where TAffine : struct, ISwitch
        where TOutput : struct, ISweepOutput
    {
        if (relu)
        {
            Correlate<TAffine, On, TOutput>(shape, plane, start, length, masks, weights, scale, shift, ref output);
        }
        else
        {
            Correlate<TAffine, Off, TOutput>(shape, plane, start, length, masks, weights, scale, shift, ref output);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Correlate<TAffine, TRelu, TOutput>(in SamePlane shape, float* plane, int start, int length, float* masks, float* weights,
        float scale, float shift, ref TOutput output)
        where TAffine : struct, ISwitch
        where TRelu : struct, ISwitch
        where TOutput : struct, ISweepOutput
    {
        int width = shape.Width, size = width * shape.Height, step = Lanes % width, phase = start % width;
        float* m0 = masks, m2 = masks + shape.MaskStride;
        var prologue = new Prologue<TAffine, TRelu>(plane, size, scale, shift);
        var w0 = Vector512.Create(weights[0]); var w1 = Vector512.Create(weights[1]); var w2 = Vector512.Create(weights[2]);
        var w3 = Vector512.Create(weights[3]); var w4 = Vector512.Create(weights[4]); var w5 = Vector512.Create(weights[5]);
        var w6 = Vector512.Create(weights[6]); var w7 = Vector512.Create(weights[7]); var w8 = Vector512.Create(weights[8]);

        // Window row k of the outputs at q .. q+15 is the plane's q + (k - 1) * width .. +15 (cK), with the vector before
        // it (pK) and the one after (nK) giving the lanes the shifts bring in.
        int above = start - width;
        Vector512<float> p0 = prologue.Load(above - Lanes), c0 = prologue.Load(above);
        Vector512<float> p1 = prologue.Load(start - Lanes), c1 = prologue.Load(start);
        Vector512<float> p2 = prologue.Load(start + width - Lanes), c2 = prologue.Load(start + width);
        for (int j = 0; j < length; j += Lanes, above += Lanes)
        {
            Vector512<float> n0 = prologue.Load(above + Lanes);
            Vector512<float> n1 = prologue.Load(above + width + Lanes);
            Vector512<float> n2 = prologue.Load(above + 2 * width + Lanes);
            Vector512<float> left = Vector512.Load(m0 + phase), right = Vector512.Load(m2 + phase);
            Vector512<float> acc = Vector512.FusedMultiplyAdd(Left(c0, p0) & left, w0, Vector512<float>.Zero);
            acc = Vector512.FusedMultiplyAdd(c0, w1, acc);
            acc = Vector512.FusedMultiplyAdd(Right(n0, c0) & right, w2, acc);
            acc = Vector512.FusedMultiplyAdd(Left(c1, p1) & left, w3, acc);
            acc = Vector512.FusedMultiplyAdd(c1, w4, acc);
            acc = Vector512.FusedMultiplyAdd(Right(n1, c1) & right, w5, acc);
            acc = Vector512.FusedMultiplyAdd(Left(c2, p2) & left, w6, acc);
            acc = Vector512.FusedMultiplyAdd(c2, w7, acc);
            acc = Vector512.FusedMultiplyAdd(Right(n2, c2) & right, w8, acc);
            Vector<float> first = acc.GetLower().AsVector(), second = acc.GetUpper().AsVector();
            if (j + Lanes > length)
            {
                // Leaving the loop here keeps nothing live across a WriteLast that is not inlined, so the JIT does not
                // spill the window's vectors around it on every step.
                output.WriteLast(first, second, length - j);
                break;
            }

            output.Write(first, second);
            p0 = c0; c0 = n0;
            p1 = c1; c1 = n1;
            p2 = c2; c2 = n2;
            phase = SamePlane.Advance(phase, step, width);
        }
    }

    /// <summary>
    /// sums[t] += sum over the plane's positions q of gradient[q] * f(plane)[q + (kh - 1)*W + kw - 1] for each tap
    /// t = (kh, kw), outside the plane zero, the tap zeroed where its column's mask is: as
    /// <see cref="SamePlane.TapDots"/>, with both planes read where they are stored (gradient a whole plane of W*H
    /// values). Lanes sum in float over blocks of positions, the blocks in double.
    /// </summary>
    public static void TapDots(in SamePlane shape, float* gradient, float* plane, float* masks, bool relu, bool affine, float scale, float shift, double* sums)
    {
        if (affine)
        {
            TapDots<On>(shape, gradient, plane, masks, relu, scale, shift, sums);
        }
        else
        {
            TapDots<Off>(shape, gradient, plane, masks, relu, scale, shift, sums);
        }
    }

    private static void TapDots<TAffine>(in SamePlane shape, float* gradient, float* plane, float* masks, bool relu, float scale, float shift, double* sums)
        where TAffine : struct, ISwitch
    {
        if (relu)
        {
            TapDots<TAffine, On>(shape, gradient, plane, masks, scale, shift, sums);
        }
        else
        {
            TapDots<TAffine, Off>(shape, gradient, plane, masks, scale, shift, sums);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TapDots<TAffine, TRelu>(in SamePlane shape, float* gradient, float* plane, float* masks, float scale, float shift, double* sums)
        where TAffine : struct, ISwitch
        where TRelu : struct, ISwitch
    {
        const int BlockVectors = 64;
        int width = shape.Width, size = width * shape.Height, step = Lanes % width, phase = 0;
        float* m0 = masks, m2 = masks + shape.MaskStride;
        var prologue = new Prologue<TAffine, TRelu>(plane, size, scale, shift);
        // The gradient is read unmasked where a whole vector of it lies in the plane, as the input is.
        var dy = new Prologue<Off, Off>(gradient, size, 1f, 0f);
        int above = -width;
        Vector512<float> p0 = prologue.Load(above - Lanes), c0 = prologue.Load(above);
        Vector512<float> p1 = prologue.Load(-Lanes), c1 = prologue.Load(0);
        Vector512<float> p2 = prologue.Load(width - Lanes), c2 = prologue.Load(width);
        for (int block = 0; block < size; block += BlockVectors * Lanes)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default, s8 = default;
            int blockEnd = Math.Min(size, block + BlockVectors * Lanes);
            for (int j = block; j < blockEnd; j += Lanes, above += Lanes)
            {
                Vector512<float> n0 = prologue.Load(above + Lanes);
                Vector512<float> n1 = prologue.Load(above + width + Lanes);
                Vector512<float> n2 = prologue.Load(above + 2 * width + Lanes);
                // Masking the gradient once per edge tap column zeroes the same products as masking each input.
                Vector512<float> g1 = dy.Load(j);
                Vector512<float> g0 = g1 & Vector512.Load(m0 + phase), g2 = g1 & Vector512.Load(m2 + phase);
                s0 = Vector512.FusedMultiplyAdd(Left(c0, p0), g0, s0);
                s1 = Vector512.FusedMultiplyAdd(c0, g1, s1);
                s2 = Vector512.FusedMultiplyAdd(Right(n0, c0), g2, s2);
                s3 = Vector512.FusedMultiplyAdd(Left(c1, p1), g0, s3);
                s4 = Vector512.FusedMultiplyAdd(c1, g1, s4);
                s5 = Vector512.FusedMultiplyAdd(Right(n1, c1), g2, s5);
                s6 = Vector512.FusedMultiplyAdd(Left(c2, p2), g0, s6);
                s7 = Vector512.FusedMultiplyAdd(c2, g1, s7);
                s8 = Vector512.FusedMultiplyAdd(Right(n2, c2), g2, s8);
                p0 = c0; c0 = n0;
                p1 = c1; c1 = n1;
                p2 = c2; c2 = n2;
                phase = SamePlane.Advance(phase, step, width);
            }

            sums[0] += Vector512.Sum(s0);
            sums[1] += Vector512.Sum(s1);
            sums[2] += Vector512.Sum(s2);
            sums[3] += Vector512.Sum(s3);
            sums[4] += Vector512.Sum(s4);
            sums[5] += Vector512.Sum(s5);
            sums[6] += Vector512.Sum(s6);
            sums[7] += Vector512.Sum(s7);
            sums[8] += Vector512.Sum(s8);
        }
    }

    // The lanes one position to the left: the last of the vector before, then the first 15.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Left(Vector512<float> current, Vector512<float> before) =>
        Avx512F.AlignRight32(current.AsInt32(), before.AsInt32(), Lanes - 1).AsSingle();

    // The lanes one position to the right: the last 15, then the first of the vector after.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Right(Vector512<float> after, Vector512<float> current) =>
        Avx512F.AlignRight32(after.AsInt32(), current.AsInt32(), 1).AsSingle();

    /// <summary>16 consecutive values of f(plane), zero where they fall outside the plane.</summary>
    private readonly struct Prologue<TAffine, TRelu>(float* plane, int size, float scale, float shift)
        where TAffine : struct, ISwitch
        where TRelu : struct, ISwitch
    {
        private readonly Vector512<float> vScale = Vector512.Create(scale), vShift = Vector512.Create(shift);

        // Loads starting below this lie wholly inside the plane (none does in a plane smaller than a vector).
        private readonly uint wholeBound = (uint)Math.Max(size - Lanes + 1, 0);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Load(int at)
        {
            if ((uint)at < wholeBound)
            {
                return Apply(Vector512.Load(plane + at));
            }

            // Only near the plane's first and last rows: the lanes outside it are neither read nor kept.
            Vector512<int> index = Vector512<int>.Indices + Vector512.Create(at);
            Vector512<float> inside = (Vector512.GreaterThanOrEqual(index, Vector512<int>.Zero) & Vector512.LessThan(index, Vector512.Create(size))).AsSingle();
            return Apply(Avx512F.MaskLoad(plane + at, inside, Vector512<float>.Zero)) & inside;
        }

        // The operations of VectorRows.AffineRelu, which fills the band, but for the ReLU's sign of zero: vmaxps(0, v)
        // returns v for v = -0 (and for a NaN, as the band does), where the band has +0. No output can tell: every FMA
        // chain starts from +0, and +0 + -0 is +0. One instruction instead of the two of an IEEE maximum.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector512<float> Apply(Vector512<float> v)
        {
            if (TAffine.IsOn)
            {
                v = Vector512.FusedMultiplyAdd(v, vScale, vShift);
            }

            return TRelu.IsOn ? Avx512F.Max(Vector512<float>.Zero, v) : v;
        }
    }
}
