using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// The accelerator a command runs on, chosen by <c>--device</c>: <see cref="Open"/> gives a CUDA GPU for gpu (or auto
/// when one is present), or null for the CPU backend.
/// </summary>
public sealed class GpuSession : IDisposable
{
    /// <summary>
    /// Set to <c>cpu-accelerator</c>, <c>--device gpu</c> runs the GPU backend on ILGPU's CPU accelerator instead of
    /// CUDA: end-to-end tests on machines without a GPU use it. It is 100-4000x slower; never a user-facing backend.
    /// </summary>
    public const string TestAcceleratorVariable = "XCEPTION_GPU_ACCELERATOR";

    private readonly Context context;

    private GpuSession(Context context, Accelerator accelerator)
    {
        this.context = context;
        Accelerator = accelerator;
    }

    public Accelerator Accelerator { get; }

    /// <summary>The device in words, for progress lines and benchmark output.</summary>
    public string Description => Accelerator.AcceleratorType == AcceleratorType.CPU
        ? "ILGPU's CPU accelerator (tests only)"
        : FormattableString.Invariant($"{Accelerator.Name} ({Accelerator.AcceleratorType}, {Accelerator.MemorySize / (1024.0 * 1024 * 1024):F1} GiB)");

    /// <summary>The accelerator for <paramref name="device"/>, or null when the network runs on the CPU backend.</summary>
    /// <exception cref="GpuUnavailableException"><paramref name="device"/> is <see cref="ComputeDevice.Gpu"/> and no CUDA GPU can be used.</exception>
    public static GpuSession? Open(ComputeDevice device)
    {
        if (device == ComputeDevice.Cpu)
        {
            return null;
        }

        if (device == ComputeDevice.Gpu && Environment.GetEnvironmentVariable(TestAcceleratorVariable) == "cpu-accelerator")
        {
            (Context testContext, Accelerator testAccelerator) = GpuAccelerators.OpenCpu();
            return new GpuSession(testContext, testAccelerator);
        }

        if (GpuAccelerators.TryOpenCuda() is { } cuda)
        {
            return new GpuSession(cuda.Context, cuda.Accelerator);
        }

        return device == ComputeDevice.Gpu
            ? throw new GpuUnavailableException("--device gpu: no CUDA GPU is usable here (no NVIDIA driver library libcuda.so.1, no CUDA device, or none of compute capability 8.0 or newer); use --device cpu or auto")
            : null;
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        context.Dispose();
    }
}
