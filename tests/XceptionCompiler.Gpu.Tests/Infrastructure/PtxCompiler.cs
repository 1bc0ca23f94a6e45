using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace XceptionCompiler.Gpu.Tests.Infrastructure;

/// <summary>
/// Compiles a kernel with ILGPU's PTX backend for sm_80 (what the driver JITs for Hopper) without a GPU or driver,
/// so tests can read the PTX a CUDA device would run.
/// </summary>
public static class PtxCompiler
{
    /// <summary>The PTX of an explicitly grouped kernel (one launched with a KernelConfig).</summary>
    public static string Compile(MethodInfo kernel)
    {
        using var context = Context.Create(builder => builder.Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_80, CudaInstructionSet.ISA_71, nvvmAPI: null!);
        var entry = EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization());
        return compiled.PTXAssembly;
    }

    /// <summary>The PTX of the public static kernel method <paramref name="name"/> of <paramref name="type"/>.</summary>
    public static string Compile(Type type, string name) =>
        Compile(type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new ArgumentException($"{type.Name} has no static method {name}", nameof(name)));
}
