namespace XceptionCompiler.Runtime.Data;

/// <summary>What the loader runs on every decoded image: pixels in, one normalised (C, H, W) float tensor out.</summary>
public interface IImageTransform
{
    /// <summary>Output shape; matches the network's InputShape.</summary>
    int Channels { get; }
    int Height { get; }
    int Width { get; }

    /// <summary>
    /// Transforms <paramref name="image"/> (which it may modify) into <paramref name="destination"/>
    /// (Channels*Height*Width floats), drawing every random number from <paramref name="random"/>.
    /// </summary>
    void Apply(PixelImage image, SampleRandom random, TransformScratch scratch, Span<float> destination);
}
