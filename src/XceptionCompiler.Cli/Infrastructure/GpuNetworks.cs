using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>The GPU twin of a compiled network for the commands that take --device, with the line that says where it runs.</summary>
internal static class GpuNetworks
{
    /// <summary>
    /// The network's GPU class on the session's accelerator (its kernels compiled now, from the host's current weights),
    /// or null without a session (the CPU backend).
    /// </summary>
    public static GpuNetwork? Open(ICompiledNetwork network, GpuSession? session, TextWriter output)
    {
        if (session is null)
        {
            return null;
        }

        GpuNetwork gpu = GpuNetworkRegistry.Create(network, session.Accelerator);
        output.WriteLine(FormattableString.Invariant($"{network.Name} on {session.Description}: {gpu.KernelCount} kernels compiled in {gpu.KernelCompileTime.TotalSeconds:F1} s"));
        return gpu;
    }
}
