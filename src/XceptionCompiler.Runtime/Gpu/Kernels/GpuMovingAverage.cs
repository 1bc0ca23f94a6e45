using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The weight average of <see cref="Training.WeightAverage"/> on the GPU, over a flat buffer (the parameters or the
/// running statistics) and its averaged twin: the blend after every optimizer step, and the swap that puts the average
/// in the live buffer for evaluation (and back). Launched with <see cref="ElementGrid"/>.
/// </summary>
public static class GpuMovingAverage
{
    /// <summary>average = decay * average + (1 - decay) * live, written as the CPU writes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Blend(ArrayView<float> average, ArrayView<float> live, float decay)
    {
        for (long i = ElementGrid.First(); i < average.Length; i += ElementGrid.Stride())
        {
            average[i] = (decay * average[i]) + ((1 - decay) * live[i]);
        }
    }

    /// <summary>Exchanges the values of <paramref name="a"/> and <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Swap(ArrayView<float> a, ArrayView<float> b)
    {
        for (long i = ElementGrid.First(); i < a.Length; i += ElementGrid.Stride())
        {
            float value = a[i];
            a[i] = b[i];
            b[i] = value;
        }
    }

    public static KernelConfig BlendConfig(long length) => ElementGrid.Config(length);

    public static KernelConfig SwapConfig(long length) => ElementGrid.Config(length);
}
