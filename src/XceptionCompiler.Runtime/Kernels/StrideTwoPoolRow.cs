using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// One output row of a stride-2 max pool's backward pass, 16 windows at a time. Each input row the windows cover is split into its
/// even and odd columns (padded with -infinity), so tap (kh, kw) of windows ow..ow+15 is one contiguous load; the
/// maxima are an element-wise max over the taps, and each window's first maximum in row-major order is found by
/// scanning the taps in that order with a mask of windows already matched. Equal to the scalar definition, ties
/// included.
/// </summary>
internal readonly unsafe struct StrideTwoPoolRow
{
    private const int Lanes = 16;
    private readonly PoolShape shape;
    private readonly int splitWidth;
    private readonly float* split;

    public StrideTwoPoolRow(in PoolShape s)
    {
        shape = s;
        // Windows rounded up to whole vectors, plus the K / 2 columns tap kw = K - 1 reaches past the last window.
        splitWidth = ((s.OutWidth + Lanes - 1) / Lanes * Lanes) + (s.Kernel / 2) + 1;
        split = ThreadScratch.Get(ScratchBuffer.Plane2, 2L * s.Kernel * splitWidth);
    }

    /// <summary>The floats of scratch a row's maxima or indices need (whole vectors).</summary>
    public static int Padded(in PoolShape s) => (s.OutWidth + Lanes - 1) / Lanes * Lanes;

    /// <summary>
    /// maxima[ow] = max of window (oh, ow) and first[ow] = the plane index of its first maximum in row-major order, or
    /// -1 where none equals it (a NaN maximum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(float* plane, int oh, float* maxima, int* first)
    {
        PoolShape s = shape;
        int top = (oh * 2) - s.PadTop;
        int rows = 0;
        for (int kh = 0; kh < s.Kernel; kh++)
        {
            int ih = top + kh;
            if (ih >= 0 && ih < s.InHeight)
            {
                Split(plane + ((long)ih * s.InWidth), Even(rows), Odd(rows));
                rows++;
            }
        }

        int firstRow = Math.Max(top, 0);
        for (int ow = 0; ow < s.OutWidth; ow += Lanes)
        {
            Vector512<float> max = Vector512.Create(float.NegativeInfinity);
            for (int r = 0; r < rows; r++)
            {
                for (int kw = 0; kw < s.Kernel; kw++)
                {
                    max = Vector512.Max(max, Tap(r, kw, ow));
                }
            }

            max.Store(maxima + ow);
            Vector512<int> best = Vector512.Create(-1);
            Vector512<int> found = Vector512<int>.Zero;
            // Plane column of tap kw of window ow + lane: 2 (ow + lane) - PadLeft + kw.
            Vector512<int> columns = (Vector512.Create(ow) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)) * 2 - Vector512.Create(s.PadLeft);
            for (int r = 0; r < rows; r++)
            {
                for (int kw = 0; kw < s.Kernel; kw++)
                {
                    // Padding cells are -infinity and must never be routed to, even when a window's maximum is too.
                    Vector512<int> column = columns + Vector512.Create(kw);
                    Vector512<int> inside = Vector512.GreaterThanOrEqual(column, Vector512<int>.Zero) & Vector512.LessThan(column, Vector512.Create(s.InWidth));
                    Vector512<int> hit = Vector512.Equals(Tap(r, kw, ow), max).AsInt32() & inside & ~found;
                    best = Vector512.ConditionalSelect(hit, column + Vector512.Create((firstRow + r) * s.InWidth), best);
                    found |= hit;
                }
            }

            best.Store(first + ow);
        }
    }

    private float* Even(int row) => split + (2L * row * splitWidth);

    private float* Odd(int row) => split + (((2L * row) + 1) * splitWidth);

    // Tap kw of windows ow.. is padded column 2 ow + kw: even column ow + kw / 2 for even kw, odd for odd kw.
    private Vector512<float> Tap(int row, int kw, int ow) =>
        Vector512.Load((kw % 2 == 0 ? Even(row) : Odd(row)) + ow + (kw / 2));

    // Padded column c (input column c - PadLeft, -infinity outside the row) goes to even[c / 2] or odd[c / 2]: the
    // margins are filled, then the row is dealt out two columns at a time, with no per-element bounds or parity test.
    private void Split(float* row, float* even, float* odd)
    {
        new Span<float>(even, splitWidth).Fill(float.NegativeInfinity);
        new Span<float>(odd, splitWidth).Fill(float.NegativeInfinity);
        int iw = 0;
        int c = shape.PadLeft;
        if (c % 2 == 1)
        {
            odd[c / 2] = row[0];
            iw = 1;
            c++;
        }

        for (; iw + 1 < shape.InWidth; iw += 2, c += 2)
        {
            even[c / 2] = row[iw];
            odd[c / 2] = row[iw + 1];
        }

        if (iw < shape.InWidth)
        {
            even[c / 2] = row[iw];
        }
    }
}
