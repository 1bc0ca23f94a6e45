using XceptionCompiler.Runtime.Data;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>
/// An in-memory source for loader tests: image i is filled with (i mod 251) so a batch shows which samples it holds;
/// chosen indices fail to decode, or throw a non-decode error, to exercise skipping and error propagation.
/// </summary>
internal sealed class SyntheticSource(int count, int side = 8, int channels = 1, int classes = 10) : IImageSource
{
    public HashSet<int> Unreadable { get; init; } = [];
    public int? Explodes { get; init; }
    public int ReadDelayMs { get; init; }
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);
    public string Description => $"synthetic({count})";
    public int Count => count;
    public IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();
    public int Channels => channels;
    public int LabelOf(int index) => index % classes;
    public string PathOf(int index) => $"/synthetic/{index}.jpg";

    public void Read(int index, PixelImage destination)
    {
        Interlocked.Increment(ref _reads);
        if (ReadDelayMs > 0)
            Thread.Sleep(ReadDelayMs);
        if (index == Explodes)
            throw new InvalidOperationException($"boom at {index}");
        if (Unreadable.Contains(index))
            throw new ImageDecodeException(PathOf(index), "is not a readable image (synthetic)");
        destination.Reset(side, side, channels);
        destination.Pixels.Fill((byte)(index % 251));
    }

    /// <summary>The source index an image was made from, recovered from a transform with mean 0 and std 1.</summary>
    public static int PixelValue(ReadOnlySpan<float> image) => (int)MathF.Round(image[0]);
}
