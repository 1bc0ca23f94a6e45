using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The three transforms of Winograd's F(2x2, 3x3) (Lavin and Gray 2016), for a correlation as a convolution layer
/// computes it: a 2x2 output tile is A^T [(G g G^T) . (B^T d B)] A, where d is the 4x4 input tile under it and g the
/// 3x3 filter, so 16 multiplies per input channel replace 36. Every coefficient is 0, +-1 or 1/2, which keeps the
/// rounding close to the direct sum's. The input and output transforms work on 16 tiles side by side (one vector
/// lane each, consecutive tiles of one tile row), the layout the tile GEMM reads and writes; point xi = 4 i + j of the
/// 4x4 transform domain is a separate plane, xi * pointStride floats from the first.
/// </summary>
internal static unsafe class WinogradTransform
{
    /// <summary>Points of the transform domain: a 4x4 input tile per 2x2 output tile.</summary>
    public const int Points = 16;

    /// <summary>Tiles per vector.</summary>
    public const int Lanes = 16;

    // Lanes of two concatenated vectors: the odd ones (the even ones are EvenLanes.Evens), and the two interleaved.
    private static Vector512<int> Odds
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => EvenLanes.Evens + Vector512<int>.One;
    }

    private static Vector512<int> InterleaveLow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Vector512<int>.Indices >> 1) + ((Vector512<int>.Indices & Vector512<int>.One) << 4);
    }

    private static Vector512<int> InterleaveHigh
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => InterleaveLow + Vector512.Create(8);
    }

    /// <summary>
    /// u[xi][row][c] = (G g G^T)[i][j] for the filter g of each of <paramref name="outChannels"/> rows and
    /// <paramref name="inChannels"/> columns: g = w[row][c] (3x3, row-major), or when <paramref name="flipped"/>
    /// w[c][row] turned by 180 degrees (a data gradient's filters). Rows outChannels .. <paramref name="rows"/>-1 are zero
    /// (the GEMM's padding to whole register tiles).
    /// </summary>
    public static void Weights(float* w, int outChannels, int inChannels, int rows, bool flipped, float* u)
    {
        long pointStride = (long)rows * inChannels;
        new Span<float>(u, checked((int)(Points * pointStride))).Clear();
        float* g = stackalloc float[9];
        float* gg = stackalloc float[12];
        for (int o = 0; o < outChannels; o++)
        {
            for (int c = 0; c < inChannels; c++)
            {
                float* filter = w + ((long)(flipped ? c * outChannels + o : o * inChannels + c)) * 9;
                for (int tap = 0; tap < 9; tap++)
                {
                    g[tap] = filter[flipped ? 8 - tap : tap];
                }

                // G g: the four transformed rows of each filter column.
                for (int kw = 0; kw < 3; kw++)
                {
                    (gg[kw], gg[3 + kw], gg[6 + kw], gg[9 + kw]) = Points4(g[kw], g[3 + kw], g[6 + kw]);
                }

                // (G g) G^T: the same along each transformed row.
                float* target = u + (long)o * inChannels + c;
                for (int i = 0; i < 4; i++)
                {
                    (float t0, float t1, float t2, float t3) = Points4(gg[3 * i], gg[3 * i + 1], gg[3 * i + 2]);
                    target[(4 * i + 0) * pointStride] = t0;
                    target[(4 * i + 1) * pointStride] = t1;
                    target[(4 * i + 2) * pointStride] = t2;
                    target[(4 * i + 3) * pointStride] = t3;
                }
            }
        }
    }

    // G (g0, g1, g2)^T: a 3-tap filter at the four points.
    private static (float, float, float, float) Points4(float g0, float g1, float g2) =>
        (g0, 0.5f * (g0 + g1 + g2), 0.5f * (g0 - g1 + g2), g2);

    /// <summary>
    /// <see cref="Input"/> for each of <paramref name="channels"/> planes (<paramref name="planeFloats"/> apart), each
    /// channel's points <paramref name="channelStride"/> after the previous channel's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void InputChannels(float* planes, long planeFloats, int channels, int height, int width, int top, int left, bool relu,
        float* dst, nint channelStride, nint pointStride)
    {
        for (int c = 0; c < channels; c++)
        {
            Input(planes + c * planeFloats, height, width, top, left, relu, dst + c * channelStride, pointStride);
        }
    }

    /// <summary>
    /// <see cref="Output"/> for each of <paramref name="channels"/> output planes (<paramref name="planeFloats"/> apart),
    /// each channel's points <paramref name="channelStride"/> after the previous channel's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void OutputChannels(float* m, nint channelStride, nint pointStride, int channels, float* planes, long planeFloats,
        int height, int width, int row, int left)
    {
        for (int c = 0; c < channels; c++)
        {
            Output(m + c * channelStride, pointStride, planes + c * planeFloats, height, width, row, left);
        }
    }

    /// <summary>
    /// B^T d B for 16 consecutive tiles of one tile row of a plane (height x width, f(x) with f = ReLU when
    /// <paramref name="relu"/>): the tiles' 4x4 windows start at input row <paramref name="top"/> and columns
    /// <paramref name="left"/>, left + 2, ..., left + 30. Input outside the plane reads as zero (padding, and tiles past
    /// the last). Point xi goes to dst[xi * pointStride .. + 16).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Input(float* plane, int height, int width, int top, int left, bool relu, float* dst, nint pointStride)
    {
        // B^T down the columns, rows (r0 - r2, r1 + r2, r2 - r1, r1 - r3), in an order that keeps 8 rows live at most.
        InputRow(plane, height, width, top, left, relu, out var a0, out var a1, out var a2, out var a3);
        InputRow(plane, height, width, top + 2, left, relu, out var c0, out var c1, out var c2, out var c3);
        Store4(dst, a0 - c0, a1 - c1, a2 - c2, a3 - c3, pointStride);
        InputRow(plane, height, width, top + 1, left, relu, out a0, out a1, out a2, out a3);
        Store4(dst + 4 * pointStride, a0 + c0, a1 + c1, a2 + c2, a3 + c3, pointStride);
        Store4(dst + 8 * pointStride, c0 - a0, c1 - a1, c2 - a2, c3 - a3, pointStride);
        InputRow(plane, height, width, top + 3, left, relu, out c0, out c1, out c2, out c3);
        Store4(dst + 12 * pointStride, a0 - c0, a1 - c1, a2 - c2, a3 - c3, pointStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* at, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, nint pointStride)
    {
        v0.Store(at);
        v1.Store(at + pointStride);
        v2.Store(at + 2 * pointStride);
        v3.Store(at + 3 * pointStride);
    }

    // One input row under 16 tiles, transformed along it: d B with d_b = x[left + 2 t + b] for tile t.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow(float* plane, int height, int width, int row, int left, bool relu,
        out Vector512<float> t0, out Vector512<float> t1, out Vector512<float> t2, out Vector512<float> t3)
    {
        if ((uint)row >= (uint)height)
        {
            t0 = t1 = t2 = t3 = Vector512<float>.Zero;
            return;
        }

        float* p = plane + (long)row * width;
        Vector512<float> a, b, a2, b2;
        if (left >= 0 && left + 2 * Lanes + 2 <= width)
        {
            a = Vector512.Load(p + left);
            b = Vector512.Load(p + left + Lanes);
            a2 = Vector512.Load(p + left + 2);
            b2 = Vector512.Load(p + left + Lanes + 2);
        }
        else
        {
            a = LoadInside(p, left, width);
            b = LoadInside(p, left + Lanes, width);
            a2 = LoadInside(p, left + 2, width);
            b2 = LoadInside(p, left + Lanes + 2, width);
        }

        if (relu)
        {
            a = Vector512.Max(a, Vector512<float>.Zero);
            b = Vector512.Max(b, Vector512<float>.Zero);
            a2 = Vector512.Max(a2, Vector512<float>.Zero);
            b2 = Vector512.Max(b2, Vector512<float>.Zero);
        }

        Vector512<float> d0 = Avx512F.PermuteVar16x32x2(a, EvenLanes.Evens, b);
        Vector512<float> d1 = Avx512F.PermuteVar16x32x2(a, Odds, b);
        Vector512<float> d2 = Avx512F.PermuteVar16x32x2(a2, EvenLanes.Evens, b2);
        Vector512<float> d3 = Avx512F.PermuteVar16x32x2(a2, Odds, b2);
        (t0, t1, t2, t3) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
    }

    // row[column .. column + 16), zero where a column lies outside [0, width); reads nothing outside.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LoadInside(float* row, int column, int width)
    {
        Vector512<int> columns = Vector512<int>.Indices + Vector512.Create(column);
        Vector512<int> inside = Vector512.GreaterThanOrEqual(columns, Vector512<int>.Zero) & Vector512.LessThan(columns, Vector512.Create(width));
        return Avx512F.MaskLoad(row + column, inside.AsSingle(), Vector512<float>.Zero);
    }

    /// <summary>
    /// A^T m A for 16 consecutive tiles (point xi at m[xi * pointStride .. + 16)): their 2x2 outputs, written to output
    /// rows <paramref name="row"/> and row + 1 (the second only if it is below <paramref name="height"/>) of a plane
    /// <paramref name="width"/> wide, columns <paramref name="left"/> .. left + 31, those at or past width left out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Output(float* m, nint pointStride, float* plane, int height, int width, int row, int left)
    {
        // A^T down each column j: (m0j + m1j + m2j, m1j - m2j - m3j); then along the two rows.
        OutputColumn(m, pointStride, out var top0, out var bottom0);
        OutputColumn(m + pointStride, pointStride, out var top1, out var bottom1);
        OutputColumn(m + 2 * pointStride, pointStride, out var top2, out var bottom2);
        OutputColumn(m + 3 * pointStride, pointStride, out var top3, out var bottom3);
        int count = Math.Min(2 * Lanes, width - left);
        StoreInterleaved(plane + (long)row * width + left, top0 + top1 + top2, top1 - top2 - top3, count);
        if (row + 1 < height)
        {
            StoreInterleaved(plane + (long)(row + 1) * width + left, bottom0 + bottom1 + bottom2, bottom1 - bottom2 - bottom3, count);
        }
    }

    // Column j of the 4x4 points (m at point j, the others 4, 8 and 12 points on) through A^T.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputColumn(float* m, nint pointStride, out Vector512<float> top, out Vector512<float> bottom)
    {
        Vector512<float> m0 = Vector512.Load(m), m1 = Vector512.Load(m + 4 * pointStride);
        Vector512<float> m2 = Vector512.Load(m + 8 * pointStride), m3 = Vector512.Load(m + 12 * pointStride);
        top = m0 + m1 + m2;
        bottom = m1 - m2 - m3;
    }

    // Tile t's two outputs (even[t], odd[t]) at dst[2t], dst[2t + 1], the first count of the 32.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(float* dst, Vector512<float> even, Vector512<float> odd, int count)
    {
        Vector512<float> low = Avx512F.PermuteVar16x32x2(even, InterleaveLow, odd);
        Vector512<float> high = Avx512F.PermuteVar16x32x2(even, InterleaveHigh, odd);
        if (count >= 2 * Lanes)
        {
            low.Store(dst);
            high.Store(dst + Lanes);
            return;
        }

        Avx512F.MaskStore(dst, EvenLanes.First(count), low);
        Avx512F.MaskStore(dst + Lanes, EvenLanes.First(count - Lanes), high);
    }
}
