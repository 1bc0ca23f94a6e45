using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Standalone ReLU over n images of <c>perImage</c> floats each (the GPU side of the CPU
/// <see cref="Runtime.Kernels.Activation"/>); a flat grid-stride pass launched with <see cref="ElementGrid"/>.
/// </summary>
public static class GpuActivation
{
    /// <summary>y = max(x, 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReluForward(ArrayView<float> x, ArrayView<float> y, int n, long perImage)
    {
        long count = n * perImage;
        for (long i = ElementGrid.First(); i < count; i += ElementGrid.Stride())
        {
            y[i] = MathF.Max(x[i], 0f);
        }
    }

    /// <summary>dx (= or +=) dy * (y &gt; 0), the mask read from the stored output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReluBackward(ArrayView<float> dy, ArrayView<float> y, ArrayView<float> dx, int n, long perImage, bool accumulate)
    {
        long count = n * perImage;
        for (long i = ElementGrid.First(); i < count; i += ElementGrid.Stride())
        {
            float g = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    public static KernelConfig ReluForwardConfig(int n, long perImage) => ElementGrid.Config(n * perImage);

    public static KernelConfig ReluBackwardConfig(int n, long perImage) => ElementGrid.Config(n * perImage);
}
