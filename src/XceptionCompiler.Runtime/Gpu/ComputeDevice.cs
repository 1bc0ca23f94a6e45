namespace XceptionCompiler.Runtime.Gpu;

/// <summary>Where a command runs the compiled network: <c>--device auto|cpu|gpu</c>.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when a CUDA GPU is present, else the CPU.</summary>
    Auto,

    /// <summary>The generated CPU code.</summary>
    Cpu,

    /// <summary>The generated ILGPU kernels on a CUDA GPU; an error when there is none.</summary>
    Gpu,
}
