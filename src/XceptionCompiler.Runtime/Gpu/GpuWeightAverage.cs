using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// The device twin of a <see cref="WeightAverage"/>: the averaged parameters and running statistics live beside the GPU
/// network's, so the blend after every optimizer step and the swap around evaluation never cross the bus. The host
/// <see cref="WeightAverage"/> (its decay, and the arrays checkpoints read and write) is the mirror:
/// <see cref="CopyToHost"/> before a save, <see cref="CopyToDevice"/> after a restore.
/// </summary>
public sealed class GpuWeightAverage : IDisposable
{
    private readonly GpuNetwork network;
    private readonly WeightAverage mirror;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> statistics;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, float> blend;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>> swap;

    /// <summary>Allocates the averaged buffers (the network's sizes) and fills them from <paramref name="mirror"/>.</summary>
    public GpuWeightAverage(GpuNetwork network, WeightAverage mirror)
    {
        this.network = network;
        this.mirror = mirror;
        Accelerator accelerator = network.Accelerator;
        parameters = accelerator.Allocate1D<float>(network.ParameterView.Length);
        statistics = accelerator.Allocate1D<float>(network.StatisticView.Length);
        parameters.MemSetToZero();
        statistics.MemSetToZero();
        blend = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, float>(GpuMovingAverage.Blend);
        swap = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(GpuMovingAverage.Swap);
        CopyToDevice();
    }

    /// <summary>Device bytes of the averaged buffers.</summary>
    public long DeviceBytes => (parameters.Length + statistics.Length) * sizeof(float);

    /// <summary>Blends the network's current parameters and statistics into the average (after an optimizer step).</summary>
    public void Update()
    {
        blend(GpuMovingAverage.BlendConfig(parameters.Length), parameters.View, network.ParameterView, mirror.Decay);
        blend(GpuMovingAverage.BlendConfig(statistics.Length), statistics.View, network.StatisticView, mirror.Decay);
    }

    /// <summary>Swaps averaged and live values on the device; call again to swap back.</summary>
    public void SwapInto()
    {
        swap(GpuMovingAverage.SwapConfig(parameters.Length), parameters.View, network.ParameterView);
        swap(GpuMovingAverage.SwapConfig(statistics.Length), statistics.View, network.StatisticView);
    }

    /// <summary>Copies the device's average into the host <see cref="WeightAverage"/> (before a checkpoint is written).</summary>
    public void CopyToHost()
    {
        network.Accelerator.Synchronize();
        parameters.View.SubView(0, mirror.Parameters.Length).CopyToCPU(mirror.Parameters);
        statistics.View.SubView(0, mirror.Statistics.Length).CopyToCPU(mirror.Statistics);
    }

    /// <summary>Copies the host <see cref="WeightAverage"/> to the device (at construction and after a checkpoint load).</summary>
    public void CopyToDevice()
    {
        parameters.View.SubView(0, mirror.Parameters.Length).CopyFromCPU(mirror.Parameters);
        statistics.View.SubView(0, mirror.Statistics.Length).CopyFromCPU(mirror.Statistics);
    }

    public void Dispose()
    {
        parameters.Dispose();
        statistics.Dispose();
    }
}
