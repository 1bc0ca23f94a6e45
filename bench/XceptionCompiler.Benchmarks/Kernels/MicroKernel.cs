namespace XceptionCompiler.Benchmarks.Kernels;

/// <summary>
/// The GEMM's register-tile routines, as a public benchmark parameter (the runtime's own enum is internal, and
/// BenchmarkDotNet's generated code must name the values).
/// </summary>
public enum MicroKernel
{
    /// <summary>8 x 32 tile in zmm registers (AVX-512).</summary>
    Vector512,

    /// <summary>6 x 16 tile in ymm registers (AVX2).</summary>
    Vector256,
}
