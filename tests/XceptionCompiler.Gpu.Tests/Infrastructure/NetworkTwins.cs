using ILGPU.Runtime;
using XceptionCompiler.Models;
using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Gpu.Tests.Infrastructure;

/// <summary>Two CPU networks with the same randomised weights and statistics: one runs on the CPU, the other is the host of a GPU network.</summary>
public static class NetworkTwins
{
    // The generated networks register themselves when their module initialises.
    static NetworkTwins() => System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(Tiny).Module.ModuleHandle);

    public static (ICompiledNetwork Cpu, ICompiledNetwork Host) Create(string name, int batch, int seed)
    {
        ICompiledNetwork cpu = NetworkFixtures.Randomized(NetworkRegistry.Create(name, batch), seed);
        ICompiledNetwork host = NetworkRegistry.Create(name, batch);
        cpu.Parameters.CopyTo(host.Parameters, 0);
        cpu.Statistics.CopyTo(host.Statistics, 0);
        return (cpu, host);
    }

    /// <summary>The CPU network, and the GPU network built over its twin.</summary>
    public static (ICompiledNetwork Cpu, GpuNetwork Gpu) CpuAndGpu(Accelerator accelerator, string name, int batch, int seed)
    {
        (ICompiledNetwork cpu, ICompiledNetwork host) = Create(name, batch, seed);
        return (cpu, GpuNetworkRegistry.Create(host, accelerator));
    }
}
