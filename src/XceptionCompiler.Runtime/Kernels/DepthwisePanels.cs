using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// B panels computed by a depthwise convolution as the GEMM packs them: op(B_i) is the depthwise output of image i
/// (channels x output positions, as <see cref="Depthwise.Forward"/> would store it), so a separable convolution's
/// pointwise GEMM consumes it without the depthwise output ever being written to memory and read back. Each run of
/// columns is computed channel by channel into thread scratch by <see cref="DepthwiseRuns"/>, which
/// <see cref="Depthwise.Forward"/> uses too, and copied into the panels.
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
        int taps = s.Kernel * s.Kernel;
        int inPlane = s.InHeight * s.InWidth;
        int* offsets = stackalloc int[taps];
        var runs = new DepthwiseRuns(s, relu, prologue, offsets);
        for (int p = 0; p < kc; p++)
        {
            int c = pc + p;
            float* run = runs.Compute(x + ((long)image * s.Channels + c) * inPlane, c, weights + c * taps, j, count);
            new PanelCursor(panels, kc, columns, offset, p).Write(run, count);
        }
    }
}
