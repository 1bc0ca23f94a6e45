using XceptionCompiler.Runtime.Gpu;

namespace XceptionCompiler.Cli.Tests.Infrastructure;

/// <summary>
/// While in scope, `--device gpu` runs the GPU backend on ILGPU's CPU accelerator (<see cref="GpuSession.TestAcceleratorVariable"/>):
/// CI has no GPU. The variable is process-wide, so only tests of one class (run one at a time) may use it.
/// </summary>
public sealed class TestAccelerator : IDisposable
{
    private TestAccelerator() => Environment.SetEnvironmentVariable(GpuSession.TestAcceleratorVariable, "cpu-accelerator");

    public static TestAccelerator Use() => new();

    public void Dispose() => Environment.SetEnvironmentVariable(GpuSession.TestAcceleratorVariable, null);
}
