using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// How the per-channel sums of a batch norm are split among groups. One group per channel under-fills a GPU when a
/// layer has few channels over large images (32 channels of 147x147), so each channel's spatial extent is cut into
/// parts, one group per (channel, part), whose partial sums a second, one-thread-per-channel pass combines. The split
/// depends on the shape only, never on the batch, so the partials buffer can be sized for any batch. Host and device
/// share these functions; with constant shapes they fold away.
/// </summary>
public static class BatchNormPartition
{
    /// <summary>Threads per group of the partial-sum passes.</summary>
    public const int GroupSize = 256;

    // About as many groups as an H100/H200 holds at once (132 SMs x 8).
    private const int TargetGroups = 1024;

    // Parts smaller than this give each thread too little work per image to pay for the partial sums.
    private const int MinChunk = 2048;

    /// <summary>Spatial positions per part (the last part may have fewer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Chunk(int channels, int spatial)
    {
        int wanted = Math.Max(1, Math.Min(DivideUp(TargetGroups, channels), DivideUp(spatial, MinChunk)));
        return DivideUp(spatial, wanted);
    }

    /// <summary>Parts per channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Parts(int channels, int spatial) => DivideUp(spatial, Chunk(channels, spatial));

    /// <summary>Floats of the partials buffer: two per (channel, part).</summary>
    public static int PartialsLength(int channels, int spatial) => 2 * channels * Parts(channels, spatial);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DivideUp(int a, int b) => (a + b - 1) / b;
}
