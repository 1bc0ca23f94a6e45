using System.Collections.Concurrent;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// The GPU class of every compiled network, by network name: each generated <c>Net.Gpu</c> registers itself when its
/// assembly loads, as the CPU classes do in <see cref="NetworkRegistry"/>.
/// </summary>
public static class GpuNetworkRegistry
{
    private static readonly ConcurrentDictionary<string, Func<ICompiledNetwork, Accelerator, GpuNetwork>> Factories = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(string name, Func<ICompiledNetwork, Accelerator, GpuNetwork> factory) => Factories[name] = factory;

    /// <summary>The GPU network mirroring <paramref name="host"/> on <paramref name="accelerator"/>; compiles its kernels.</summary>
    public static GpuNetwork Create(ICompiledNetwork host, Accelerator accelerator) =>
        Factories.TryGetValue(host.Name, out var factory)
            ? factory(host, accelerator)
            : throw new InvalidOperationException($"no GPU kernels were generated for network {host.Name}");
}
