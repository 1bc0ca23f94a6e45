using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Inverted dropout over n images of <c>perImage</c> floats each, with the CPU <see cref="Dropout"/>'s own hash: the
/// mask is a pure function of (seed, element index), so GPU and CPU training runs drop the same elements and the
/// backward pass recomputes the mask instead of storing it.
/// </summary>
public static class GpuDropout
{
    /// <summary>y = keep ? x / (1 - rate) : 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> x, ArrayView<float> y, int n, long perImage, float rate, ulong seed) =>
        Apply(x, y, n * perImage, rate, seed, accumulate: false);

    /// <summary>dx (= or +=) keep ? dy / (1 - rate) : 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward(ArrayView<float> dy, ArrayView<float> dx, int n, long perImage, float rate, ulong seed, bool accumulate) =>
        Apply(dy, dx, n * perImage, rate, seed, accumulate);

    public static KernelConfig ForwardConfig(int n, long perImage) => ElementGrid.Config(n * perImage);

    public static KernelConfig BackwardConfig(int n, long perImage) => ElementGrid.Config(n * perImage);

    // The CPU body's arithmetic, operation for operation, so kept values match it bit for bit too.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply(ArrayView<float> source, ArrayView<float> destination, long count, float rate, ulong seed, bool accumulate)
    {
        ulong key = Dropout.Key(seed);
        float scale = 1f / (1f - rate);
        for (long i = ElementGrid.First(); i < count; i += ElementGrid.Stride())
        {
            float v = Dropout.KeepsKeyed(key, i, rate) ? source[i] * scale : 0f;
            destination[i] = accumulate ? destination[i] + v : v;
        }
    }
}
