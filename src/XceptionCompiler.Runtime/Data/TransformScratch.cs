namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Buffers one worker reuses for every sample it transforms, so augmentation allocates nothing in steady state.
/// Not thread-safe: one per worker.
/// </summary>
public sealed class TransformScratch
{
    /// <summary>A second image that resampling stages write into before swapping it with the working image.</summary>
    public PixelImage Spare { get; } = new();

    /// <summary>The image a source decodes into, handed to the transform as the working image.</summary>
    public PixelImage Decoded { get; } = new();

    internal float[] Rows = [];       // resampler: horizontally filtered rows
    internal int[] XStart = [], XCount = [], YStart = [], YCount = [];
    internal float[] XWeights = [], YWeights = [];
    internal readonly int[] Histogram = new int[256];
    internal readonly byte[] Lut = new byte[256];

    internal static T[] Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
            array = new T[length];
        return array;
    }
}
