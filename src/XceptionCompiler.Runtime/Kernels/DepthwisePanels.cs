using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// B panels computed by a depthwise convolution as the GEMM packs them: op(B_i) is the depthwise output of image i
/// (channels x output positions, as <see cref="Depthwise.Forward"/> would store it), so a separable convolution's
/// pointwise GEMM consumes it without the depthwise output ever being written to memory and read back. Each run of
/// columns is computed channel by channel by <see cref="DepthwiseRuns"/>, which <see cref="Depthwise.Forward"/> uses
/// too: straight into the panels, or into thread scratch and copied where the sweep's steps do not fit them.
/// </summary>
internal readonly unsafe struct DepthwisePanels : IPanelSource
{
    private readonly float* x;
    private readonly float* weights;
    private readonly DepthwiseShape shape;
    private readonly bool relu;
    private readonly ChannelAffine prologue;
    private readonly bool inPlace;

    /// <summary>The depthwise convolution of f(x) with <paramref name="weights"/>, f as in <see cref="Depthwise.Forward"/>.</summary>
    public DepthwisePanels(float* x, float* weights, in DepthwiseShape shape, bool relu, ChannelAffine prologue)
    {
        this.x = x;
        this.weights = weights;
        this.shape = shape;
        this.relu = relu;
        this.prologue = prologue;
        // Read here, on the calling thread, where a test may have forced the SIMD path.
        inPlace = PlaneSweep512.Applies;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int image, int j, int count, int pc, int kc, int offset, int columns, float* panels)
    {
        DepthwiseShape s = shape;
        int taps = s.Kernel * s.Kernel;
        int inPlane = s.InHeight * s.InWidth;
        int* offsets = stackalloc int[taps];
        var runs = new DepthwiseRuns(s, relu, prologue, inPlace, offsets);
        // Straight into the panels where the sweep's steps fit them (every run at batch 1), else through a copy.
        bool direct = runs.SweepsPlanes && PanelCursor.TakesWholeSteps(columns, offset);
        for (int p = 0; p < kc; p++)
        {
            int c = pc + p;
            float* input = x + ((long)image * s.Channels + c) * inPlane;
            if (p + 1 < kc)
            {
                runs.Prefetch(input + inPlane, j, count);
            }

            var cursor = new PanelCursor(panels, kc, columns, offset, p);
            if (direct)
            {
                runs.ComputeInto(input, c, weights + c * taps, j, count, ref cursor);
            }
            else
            {
                cursor.Write(runs.Compute(input, c, weights + c * taps, j, count), count);
            }
        }
    }
}
