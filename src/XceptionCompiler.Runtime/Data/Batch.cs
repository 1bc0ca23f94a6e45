namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// One batch: images as (Capacity, C, H, W) floats and labels, of which the first <see cref="Count"/> are valid (the
/// rest are zero). The loader reuses batch objects and their buffers: a batch is valid until the consumer asks for
/// the next one or the enumeration ends; copy what must outlive that.
/// </summary>
public sealed class Batch
{
    internal Batch(int capacity, int channels, int height, int width)
    {
        Capacity = capacity;
        Channels = channels;
        Height = height;
        Width = width;
        Images = new float[checked(capacity * channels * height * width)];
        Labels = new int[capacity];
        SampleIndices = new int[capacity];
        IsPadding = new bool[capacity];
    }

    public int Capacity { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Floats per image: C*H*W.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>(Capacity, C, H, W).</summary>
    public float[] Images { get; }

    /// <summary>Class index per image.</summary>
    public int[] Labels { get; }

    /// <summary>Index into the source of each image (after any replacement of an unreadable file).</summary>
    public int[] SampleIndices { get; }

    /// <summary>
    /// True where a sample only pads this rank's shard to equal length (sharded, without drop_remainder): another
    /// rank also reads it this epoch, so evaluation should not count it twice.
    /// </summary>
    public bool[] IsPadding { get; }

    /// <summary>Valid images.</summary>
    public int Count { get; internal set; }

    /// <summary>Position of this batch in its epoch (0-based).</summary>
    public int Index { get; internal set; }

    /// <summary>The epoch this batch belongs to.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The first <see cref="Count"/> images.</summary>
    public ReadOnlySpan<float> ValidImages => Images.AsSpan(0, Count * ImageSize);

    /// <summary>Image <paramref name="i"/> as (C, H, W).</summary>
    public Span<float> Image(int i) => Images.AsSpan(i * ImageSize, ImageSize);

    /// <summary>Files first found unreadable while this batch was filled, reported when it is handed out.</summary>
    internal List<SkippedImage> NewSkips { get; } = [];
}
