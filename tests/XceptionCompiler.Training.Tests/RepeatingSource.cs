using XceptionCompiler.Runtime.Data;

namespace XceptionCompiler.Training.Tests;

/// <summary>
/// A source of <c>distinct</c> patterned 32x32 RGB images, listed <c>copies</c> times in a row: with shuffling off and
/// a batch of <c>distinct</c>, every batch is the same, so accumulating k batches must equal one step on one.
/// </summary>
internal sealed class RepeatingSource(int distinct, int copies, int classes) : IImageSource
{
    public string Description => $"{distinct} images x {copies}";

    public int Count => distinct * copies;

    public IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, classes).Select(c => "class" + c).ToArray();

    public int Channels => 3;

    public int LabelOf(int index) => index % distinct % classes;

    public string PathOf(int index) => $"/repeating/{index % distinct}.png";

    public void Read(int index, PixelImage destination)
    {
        int image = index % distinct;
        destination.Reset(32, 32, 3);
        Span<byte> pixels = destination.Pixels;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * (image + 3) * 37) % 251);
        }
    }
}
