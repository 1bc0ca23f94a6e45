namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// MindCV's RandomCropDecodeResize / torchvision's RandomResizedCrop: a crop with area a uniform fraction of the
/// image in <see cref="Scale"/> and aspect ratio log-uniform in <see cref="Ratio"/>, tried up to 10 times, falling
/// back to the largest centred crop the ratio range allows; then resized to <see cref="Size"/> x <see cref="Size"/>.
/// </summary>
public sealed record RandomResizedCrop(int Size, (double Min, double Max) Scale, (double Min, double Max) Ratio, Interpolation Interpolation) : IPixelStage
{
    public const int Attempts = 10;

    /// <summary>The crop box (x, y, width, height) for an image of this size.</summary>
    public (int X, int Y, int Width, int Height) CropBox(int width, int height, SampleRandom random)
    {
        var area = (double)width * height;
        var logMin = Math.Log(Ratio.Min);
        var logMax = Math.Log(Ratio.Max);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var target = area * random.Uniform(Scale.Min, Scale.Max);
            var aspect = Math.Exp(random.Uniform(logMin, logMax));
            var w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            var h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w > 0 && h > 0 && w <= width && h <= height)
                return (random.Next(0, width - w + 1), random.Next(0, height - h + 1), w, h);
        }

        // Fallback: the whole image, narrowed to the nearest allowed aspect ratio, centred.
        var ratio = (double)width / height;
        int cw = width, ch = height;
        if (ratio < Ratio.Min)
            ch = (int)Math.Round(width / Ratio.Min, MidpointRounding.ToEven);
        else if (ratio > Ratio.Max)
            cw = (int)Math.Round(height * Ratio.Max, MidpointRounding.ToEven);
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    public void Apply(PixelImage image, SampleRandom random, TransformScratch scratch)
    {
        var (x, y, w, h) = CropBox(image.Width, image.Height, random);
        Resampler.Resize(image, x, y, w, h, scratch.Spare, Size, Size, Interpolation, scratch);
        image.SwapWith(scratch.Spare);
    }
}
