namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Random erasing (Zhong et al. 2017), MindCV's re_* keys, applied to the normalised CHW tensor: with probability
/// <see cref="Probability"/>, up to <see cref="MaxAttempts"/> tries to place a rectangle whose area is a uniform
/// fraction in <see cref="Scale"/> and aspect ratio log-uniform in <see cref="Ratio"/>; the first that fits is
/// filled in every channel with zeros (MindCV's default re_value 0, which is the mean after normalisation) or,
/// when <see cref="RandomValues"/>, with standard-normal values per pixel (timm's 'pixel' mode).
/// </summary>
public sealed record RandomErasing(double Probability, (double Min, double Max) Scale, (double Min, double Max) Ratio, bool RandomValues, int MaxAttempts = 10)
{
    /// <summary>Erases in <paramref name="tensor"/>, shaped (channels, height, width); returns the rectangle or null.</summary>
    public (int X, int Y, int Width, int Height)? Apply(Span<float> tensor, int channels, int height, int width, SampleRandom random)
    {
        if (!random.Chance(Probability))
            return null;
        var area = (double)height * width;
        var logMin = Math.Log(Ratio.Min);
        var logMax = Math.Log(Ratio.Max);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var target = area * random.Uniform(Scale.Min, Scale.Max);
            var aspect = Math.Exp(random.Uniform(logMin, logMax));
            var h = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            var w = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (h <= 0 || w <= 0 || h >= height || w >= width)
                continue;
            var top = random.Next(0, height - h + 1);
            var left = random.Next(0, width - w + 1);
            for (var c = 0; c < channels; c++)
                for (var y = top; y < top + h; y++)
                {
                    var row = tensor.Slice((c * height + y) * width + left, w);
                    if (RandomValues)
                        for (var x = 0; x < w; x++)
                            row[x] = (float)random.NextGaussian();
                    else
                        row.Clear();
                }
            return (left, top, w, h);
        }
        return null;
    }
}
