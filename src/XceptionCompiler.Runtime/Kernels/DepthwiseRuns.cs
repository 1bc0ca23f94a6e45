using System.Runtime.Intrinsics.X86;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Runs of a depthwise convolution's output (consecutive positions oh * OutWidth + ow of one image and channel),
/// computed on the calling thread into its scratch: on the planes as stored (<see cref="SamePlane"/>) when the shape
/// allows, read in place on the AVX-512 path (<see cref="PlaneSweep512"/>) or through a band, else on a
/// <see cref="PaddedGrid"/>. The forward (<see cref="Depthwise.Forward"/>) and the GEMM's panels
/// (<see cref="DepthwisePanels"/>) both take their values from here, so they agree bit for bit (and with the
/// training backward's recompute, whose band sweep computes the same FMA chains on the same values). Made once per
/// kernel call on a thread, with K*K ints of the caller's stack that it keeps using; <c>inPlace</c> is
/// <see cref="PlaneSweep512.Applies"/> as read on the thread that made the kernel call.
/// </summary>
internal readonly unsafe struct DepthwiseRuns
{
    private readonly DepthwiseShape shape;
    private readonly bool relu;
    private readonly ChannelAffine prologue;
    private readonly int* offsets;
    private readonly float* band, rows, masks;
    private readonly bool same, inPlace;
    private readonly SamePlane plane;
    private readonly PaddedGrid grid;

    public DepthwiseRuns(in DepthwiseShape s, bool relu, ChannelAffine prologue, bool inPlace, int* offsets)
    {
        shape = s;
        this.relu = relu;
        this.prologue = prologue;
        this.offsets = offsets;
        same = SamePlane.Applies(s);
        this.inPlace = same && inPlace;
        grid = new PaddedGrid(s);
        plane = new SamePlane(s);
        long outputs = (long)s.OutHeight * s.OutWidth;
        band = this.inPlace ? null : ThreadScratch.Get(ScratchBuffer.Plane0, same ? plane.PlaneBandFloats : grid.Floats);
        rows = ThreadScratch.Get(ScratchBuffer.Plane2, same ? SamePlane.OutputFloats(outputs) : Depthwise.RowsFloats(grid, s));
        if (same)
        {
            masks = ThreadScratch.Get(ScratchBuffer.Masks, plane.MaskFloats);
            plane.WriteMasks(masks);
        }
        else
        {
            Depthwise.TapOffsets(s.Kernel, grid.Width, offsets);
        }
    }

    /// <summary>Whether runs can be written straight into GEMM panels (<see cref="ComputeInto"/>): on planes as stored.</summary>
    public bool SweepsPlanes => same;

    /// <summary>
    /// Returns positions j .. j+count-1 of the output of channel <paramref name="c"/> (input plane
    /// <paramref name="input"/>, weights <paramref name="w"/>) as a run of count floats in this thread's scratch,
    /// valid until the next call.
    /// </summary>
    public float* Compute(float* input, int c, float* w, int j, int count)
    {
        if (same)
        {
            var output = new ContiguousOutput(rows);
            Sweep(input, c, w, j, count, ref output);
            return rows;
        }

        DepthwiseShape s = shape;
        // Positions j .. j+count-1 cover output rows row0 .. row1-1, the first and last maybe in part.
        int row0 = j / s.OutWidth, row1 = (j + count - 1) / s.OutWidth + 1;
        int from = j - row0 * s.OutWidth, to = j + count - (row1 - 1) * s.OutWidth;
        (float scale, float shift) = prologue.ForChannel(c);

        // The grid's rows are wider than the output's: compact them into one run.
        Depthwise.ForwardRows(grid, s, input, w, offsets, relu, !prologue.IsNone, scale, shift, row0, row1, from, to, band, rows);
        float* run = rows;
        for (int oh = row0; oh < row1; oh++)
        {
            int first = oh == row0 ? from : 0, end = oh == row1 - 1 ? to : s.OutWidth;
            Buffer.MemoryCopy(rows + (oh - row0) * grid.Width + first, run, (end - first) * sizeof(float), (end - first) * sizeof(float));
            run += end - first;
        }

        return rows;
    }

    /// <summary>
    /// As <see cref="Compute"/>, with the run written straight into GEMM panels at <paramref name="panels"/>, which
    /// must take whole steps (<see cref="PanelCursor.TakesWholeSteps"/>); only where <see cref="SweepsPlanes"/>.
    /// </summary>
    public void ComputeInto(float* input, int c, float* w, int j, int count, ref PanelCursor panels) =>
        Sweep(input, c, w, j, count, ref panels);

    /// <summary>
    /// Asks the cache for the input rows that the run j .. j+count-1 of plane <paramref name="input"/> reads, ahead of
    /// its sweep. A thread's runs read a short stretch of each channel's plane, one plane after another, which the
    /// hardware prefetcher does not follow: without this the first reads of every plane stalled (inference at batch 1
    /// spent 4.5 % of its samples in the band copy that then made them, 2.3 % with it).
    /// </summary>
    public void Prefetch(float* input, int j, int count)
    {
        if (!same || !Sse.IsSupported)
        {
            return;
        }

        DepthwiseShape s = shape;
        int first = Math.Max(j / s.OutWidth - 1, 0), end = Math.Min((j + count - 1) / s.OutWidth + 2, s.InHeight);
        byte* to = (byte*)(input + (long)end * s.InWidth);
        for (byte* line = (byte*)((nint)(input + (long)first * s.InWidth) & ~(nint)63); line < to; line += 64)
        {
            Sse.Prefetch0(line);
        }
    }

    // The run on the planes as stored: swept in place, or the rows it reads go through the prologue into the band, and
    // one sweep.
    private void Sweep<TOutput>(float* input, int c, float* w, int j, int count, ref TOutput output)
        where TOutput : struct, ISweepOutput
    {
        DepthwiseShape s = shape;
        int row0 = j / s.OutWidth, row1 = (j + count - 1) / s.OutWidth + 1;
        int from = j - row0 * s.OutWidth;
        (float scale, float shift) = prologue.ForChannel(c);
        if (inPlace)
        {
            PlaneSweep512.Correlate(plane, input, j, count, masks, w, relu, !prologue.IsNone, scale, shift, ref output);
            return;
        }

        float* origin = plane.FillBand(input, row0 - 1, SamePlane.BandRows(row0, row1), relu, !prologue.IsNone, scale, shift, band);
        plane.Correlate(origin + s.InWidth + from, masks, w, from, ref output, count);
    }
}
