using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// B panels of a dense convolution's column matrix (<see cref="ColumnMatrix"/>), gathered from the input as the GEMM
/// packs them: an implicit GEMM. Only the slice a panel needs is gathered, so the column matrix (nine times the
/// input for a 3x3 kernel: 25 MB per image for Xception's second stem convolution) is never written to memory and
/// read back, and the input it is gathered from stays in cache. op(B_i) is image i's column matrix (taps x output
/// positions) for the forward, or its transpose (output positions x taps) for the weight gradient.
/// </summary>
internal readonly unsafe struct ColumnPanels : IPanelSource
{
    private readonly float* x;
    private readonly ConvShape shape;
    private readonly bool relu;
    private readonly bool transposed;
    private readonly bool evenLanes;

    /// <summary>The column matrices of f(x), f = ReLU when <paramref name="relu"/>, or their transposes.</summary>
    public ColumnPanels(float* x, in ConvShape shape, bool relu, bool transposed)
    {
        this.x = x;
        this.shape = shape;
        this.relu = relu;
        this.transposed = transposed;
        // The path is chosen here, on the calling thread (a forced path is per thread), for the workers too.
        evenLanes = SimdPath.Current == SimdWidth.Vector512;
    }

    public void Pack(int image, int j, int count, int pc, int kc, int offset, int columns, float* panels)
    {
        ConvShape s = shape;
        float* input = x + (long)image * s.InChannels * s.InHeight * s.InWidth;
        if (!transposed)
        {
            // Step p is tap pc + p, and the run's output positions are consecutive panel columns.
            float* run = ThreadScratch.Get(ScratchBuffer.Plane1, count);
            for (int p = 0; p < kc; p++)
            {
                ColumnMatrix.GatherRun(input, s, relu, pc + p, j, count, run, evenLanes);
                new PanelCursor(panels, kc, columns, offset, p).Write(run, count);
            }

            return;
        }

        // Step p is output position pc + p and the columns are taps: gather each tap's run of positions, one panel's
        // worth at a time, and let the matrix packer transpose them.
        float* taps = ThreadScratch.Get(ScratchBuffer.Plane1, (long)columns * kc);
        for (int done = 0; done < count;)
        {
            int column = offset + done;
            int length = Math.Min(columns - column % columns, count - done);
            for (int t = 0; t < length; t++)
            {
                ColumnMatrix.GatherRun(input, s, relu, j + done + t, pc, kc, taps + (long)t * kc, evenLanes);
            }

            new MatrixPanels(taps, kc, transB: true, strideB: 0).Pack(0, 0, length, 0, kc, column, columns, panels);
            done += length;
        }
    }
}
