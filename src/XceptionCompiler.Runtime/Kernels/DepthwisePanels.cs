using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// B panels computed by a depthwise convolution as the GEMM packs them: op(B_i) is the depthwise output of image i
/// (channels x output positions, as <see cref="Depthwise.Forward"/> would store it), so a separable convolution's
/// pointwise GEMM consumes it without the depthwise output ever being written to memory and read back. Each run of
/// columns is computed a few output rows at a time (<see cref="Depthwise.ForwardRows"/>) into thread scratch and
/// copied into the panels; every value is the FMA chain <see cref="Depthwise.Forward"/> computes for it.
/// </summary>
internal readonly unsafe struct DepthwisePanels : IPanelSource
{
    private readonly float* x;
    private readonly float* weights;
    private readonly DepthwiseShape shape;
    private readonly bool relu;
    private readonly ChannelAffine prologue;

    /// <summary>The depthwise convolution of f(x) with <paramref name="weights"/>, f as in <see cref="Depthwise.Forward"/>.</summary>
    public DepthwisePanels(float* x, float* weights, in DepthwiseShape shape, bool relu, ChannelAffine prologue)
    {
        this.x = x;
        this.weights = weights;
        this.shape = shape;
        this.relu = relu;
        this.prologue = prologue;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int image, int j, int count, int pc, int kc, int offset, int columns, float* panels)
    {
        DepthwiseShape s = shape;
        var grid = new PaddedGrid(s);
        int taps = s.Kernel * s.Kernel;
        int inPlane = s.InHeight * s.InWidth;
        float* band = ThreadScratch.Get(ScratchBuffer.Plane0, grid.Floats);
        float* rows = ThreadScratch.Get(ScratchBuffer.Plane2, Depthwise.RowsFloats(grid, s));
        int* offsets = stackalloc int[taps];
        Depthwise.TapOffsets(s.Kernel, grid.Width, offsets);

        // Output positions j .. j+count-1 cover output rows row0 .. row1-1, the first and last maybe in part.
        int row0 = j / s.OutWidth, row1 = (j + count - 1) / s.OutWidth + 1;
        int from = j - row0 * s.OutWidth, to = j + count - (row1 - 1) * s.OutWidth;
        for (int p = 0; p < kc; p++)
        {
            int c = pc + p;
            Depthwise.ForwardRows(grid, s, x + ((long)image * s.Channels + c) * inPlane, c, weights + c * taps, offsets,
                relu, prologue, row0, row1, from, to, band, rows);
            var cursor = new PanelCursor(panels, kc, columns, offset, p);
            for (int oh = row0; oh < row1; oh++)
            {
                int first = oh == row0 ? from : 0, end = oh == row1 - 1 ? to : s.OutWidth;
                cursor.Write(rows + (oh - row0) * grid.Width + first, end - first);
            }
        }
    }
}
