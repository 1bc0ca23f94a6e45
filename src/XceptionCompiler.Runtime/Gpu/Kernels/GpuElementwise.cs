using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Flat element-wise passes over n images of <c>perImage</c> floats each: residual adds and gradient copies (the GPU
/// side of the CPU <see cref="Runtime.Kernels.Elementwise"/>), launched with <see cref="ElementGrid"/>.
/// </summary>
public static class GpuElementwise
{
    /// <summary>y = a + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, int n, long perImage)
    {
        long count = n * perImage;
        for (long i = ElementGrid.First(); i < count; i += ElementGrid.Stride())
        {
            y[i] = a[i] + b[i];
        }
    }

    /// <summary>destination (= or +=) source, e.g. the gradient of a residual add flowing into both branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ArrayView<float> source, ArrayView<float> destination, int n, long perImage, bool accumulate)
    {
        long count = n * perImage;
        for (long i = ElementGrid.First(); i < count; i += ElementGrid.Stride())
        {
            destination[i] = accumulate ? destination[i] + source[i] : source[i];
        }
    }

    public static KernelConfig AddConfig(int n, long perImage) => ElementGrid.Config(n * perImage);

    public static KernelConfig CopyConfig(int n, long perImage) => ElementGrid.Config(n * perImage);
}
