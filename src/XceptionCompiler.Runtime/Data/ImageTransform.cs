namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// A transform as MindCV composes one: pixel stages (geometry, flips, AutoAugment or colour jitter), then
/// normalisation into CHW floats, then optional random erasing on the tensor.
/// </summary>
public sealed class ImageTransform : IImageTransform
{
    public ImageTransform(int size, IReadOnlyList<IPixelStage> stages, Normalization normalization, RandomErasing? erasing = null)
    {
        if (size <= 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "image size must be positive");
        Height = Width = size;
        Stages = stages;
        Normalization = normalization;
        Erasing = erasing;
    }

    public int Channels => Normalization.Channels;
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<IPixelStage> Stages { get; }
    public Normalization Normalization { get; }
    public RandomErasing? Erasing { get; }

    public void Apply(PixelImage image, SampleRandom random, TransformScratch scratch, Span<float> destination)
    {
        foreach (var stage in Stages)
            stage.Apply(image, random, scratch);
        if (image.Width != Width || image.Height != Height)
            throw new InvalidOperationException($"the transform's stages produced a {image.Width}x{image.Height} image, not {Width}x{Height}: the first stage must set the size");
        Normalization.Write(image, destination);
        Erasing?.Apply(destination, Channels, Height, Width, random);
    }
}
