using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The batch folded into a GEMM dimension: index image * spatial + position runs over every pixel of every image,
/// so one GEMM covers the batch however small the images are.
/// </summary>
internal static class BatchColumns
{
    /// <summary>The NCHW offset of (image, channel, position) for the folded index <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(int column, int channel, int channels, int spatial)
    {
        int image = column / spatial;
        return ((image * channels) + channel) * spatial + (column - image * spatial);
    }
}
