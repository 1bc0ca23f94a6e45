namespace XceptionCompiler.Runtime.Kernels;

/// <summary>The register-tile routines <see cref="Gemm"/> can use; each fixes its tile size and packing widths.</summary>
internal enum GemmMicroKernel
{
    /// <summary>8 x 32 tile in 16 zmm accumulators (AVX-512).</summary>
    Vector512,
    /// <summary>6 x 16 tile in 12 ymm accumulators (fits the 16 registers of AVX2).</summary>
    Vector256,
}

/// <summary>Tile sizes of each <see cref="GemmMicroKernel"/> and the one to use now.</summary>
internal static class GemmMicroKernels
{
    /// <summary>The micro-kernel of the calling thread's <see cref="SimdPath"/>.</summary>
    public static GemmMicroKernel Current =>
        SimdPath.Current == SimdWidth.Vector512 ? GemmMicroKernel.Vector512 : GemmMicroKernel.Vector256;

    /// <summary>Rows of C one call computes.</summary>
    public static int Rows(GemmMicroKernel kernel) =>
        kernel == GemmMicroKernel.Vector512 ? GemmMicroKernel512.Rows : GemmMicroKernel256.Rows;

    /// <summary>Columns of C one call computes.</summary>
    public static int Columns(GemmMicroKernel kernel) =>
        kernel == GemmMicroKernel.Vector512 ? GemmMicroKernel512.Columns : GemmMicroKernel256.Columns;
}
