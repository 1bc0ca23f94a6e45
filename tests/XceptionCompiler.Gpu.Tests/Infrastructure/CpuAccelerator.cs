using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Gpu;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Infrastructure;

/// <summary>
/// One ILGPU CPU accelerator (32-thread warps, groups up to 256 threads) shared by a test class: the GPU kernels run
/// on it exactly as written, only slowly, so tests keep their tensors small.
/// </summary>
public sealed class CpuAccelerator : IDisposable
{
    private readonly Context context;

    public CpuAccelerator()
    {
        (context, Accelerator) = GpuAccelerators.OpenCpu();
    }

    public Accelerator Accelerator { get; }

    /// <summary>Copies host values to a new device buffer.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Upload(float[] values) => Accelerator.Allocate1D(values);

    /// <summary>A zeroed device buffer.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Zeros(long length)
    {
        MemoryBuffer1D<float, Stride1D.Dense> buffer = Accelerator.Allocate1D<float>(Math.Max(1, length));
        buffer.MemSetToZero();
        return buffer;
    }

    /// <summary>Waits for the kernels launched so far and copies a buffer back.</summary>
    public float[] Download(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        Accelerator.Synchronize();
        return buffer.GetAsArray1D();
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        context.Dispose();
    }
}

/// <summary>Test classes in this collection share one CPU accelerator and never run in parallel with each other.</summary>
[CollectionDefinition(Name)]
public sealed class CpuAcceleratorCollection : ICollectionFixture<CpuAccelerator>
{
    public const string Name = "CPU accelerator";
}
