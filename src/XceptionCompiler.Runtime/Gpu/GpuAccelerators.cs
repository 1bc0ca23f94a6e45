using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// Opens the ILGPU accelerators the backend runs on: a CUDA GPU, or ILGPU's CPU accelerator, which runs the same
/// kernels 100-4000x slower and serves only as a correctness target for tests. Both contexts enable profiling: the
/// training step marks the end of each micro-batch on the default stream with a profiling marker (a CUDA event) and
/// waits on that marker alone.
/// </summary>
public static class GpuAccelerators
{
    /// <summary>Threads per warp on the CPU accelerator: 32, as on NVIDIA GPUs, so warp-level code behaves the same.</summary>
    public const int CpuWarpSize = 32;

    /// <summary>Warps per group on the CPU accelerator: groups of up to 256 threads, as the kernels launch.</summary>
    public const int CpuWarpsPerGroup = 8;

    /// <summary>The oldest CUDA architecture the kernels support: Ampere (compute capability 8.0), for mma.sync with tf32.</summary>
    public static readonly CudaArchitecture MinimumArchitecture = CudaArchitecture.SM_80;

    /// <summary>
    /// A context and its first CUDA device of <see cref="MinimumArchitecture"/> or newer, or null when this machine has
    /// no usable CUDA driver or such device.
    /// </summary>
    public static (Context Context, Accelerator Accelerator)? TryOpenCuda()
    {
        CudaLibrary.InstallResolver();
        Context context;
        try
        {
            context = Context.Create(builder => builder.Cuda().Optimize(OptimizationLevel.O2).Profiling());
        }
        catch (Exception exception) when (exception is DllNotFoundException or TypeInitializationException or CudaException or NotSupportedException)
        {
            return null;
        }

        // The first device the kernels can run on: the tensor-core path's mma.sync (tf32) needs sm_80 or newer.
        foreach (CudaDevice device in context.GetCudaDevices())
        {
            if (device.Architecture is { } architecture && architecture >= MinimumArchitecture)
            {
                return (context, device.CreateAccelerator(context));
            }
        }

        context.Dispose();
        return null;
    }

    /// <summary>ILGPU's CPU accelerator with 32-thread warps and groups of up to 256 threads.</summary>
    public static (Context Context, Accelerator Accelerator) OpenCpu()
    {
        int processors = Math.Max(1, Environment.ProcessorCount);
        var device = new CPUDevice(CpuWarpSize, CpuWarpsPerGroup, processors);
        var context = Context.Create(builder => builder.CPU(device).Optimize(OptimizationLevel.O2).Profiling());
        return (context, context.CreateCPUAccelerator(0));
    }
}
