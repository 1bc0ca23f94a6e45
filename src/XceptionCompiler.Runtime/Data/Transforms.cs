namespace XceptionCompiler.Runtime.Data;

/// <summary>Builds MindCV's train and eval transforms from its config keys.</summary>
public static class Transforms
{
    /// <summary>
    /// The transform for a dataset (MindCV's create_transforms): "fashion_mnist" gets a fixed geometry (a plain
    /// resize to image_resize, a no-op at 28) with flips, optional AutoAugment/colour jitter and random erasing when
    /// training; "imagenet" and "" (image folders) get <see cref="Train"/> or <see cref="Eval"/>.
    /// <paramref name="channels"/> is the network's input channel count.
    /// </summary>
    public static ImageTransform Create(string dataset, bool training, AugmentationOptions options, int channels)
    {
        var fixedGeometry = dataset.Trim().ToLowerInvariant().Replace('-', '_') is "fashion_mnist" or "fashionmnist";
        return training ? Train(options, channels, randomResizedCrop: !fixedGeometry) : Eval(options, channels, centerCrop: !fixedGeometry);
    }

    /// <summary>
    /// MindCV's transforms_imagenet_train: RandomResizedCrop (or, for small fixed-size data, a plain resize), hflip,
    /// vflip, AutoAugment or colour jitter, normalise, random erasing.
    /// </summary>
    public static ImageTransform Train(AugmentationOptions options, int channels, bool randomResizedCrop = true)
    {
        var interpolation = InterpolationNames.Parse(options.Interpolation);
        Check(options);
        var stages = new List<IPixelStage>
        {
            randomResizedCrop
                ? new RandomResizedCrop(options.ImageResize, options.Scale, options.Ratio, interpolation)
                : new ResizeCenterCrop(options.ImageResize, 1.0, interpolation),
        };
        if (options.HFlip > 0)
            stages.Add(new RandomFlip(Horizontal: true, options.HFlip));
        if (options.VFlip > 0)
            stages.Add(new RandomFlip(Horizontal: false, options.VFlip));
        if (!string.IsNullOrWhiteSpace(options.AutoAugment))
            stages.Add(new AutoAugment(AutoAugmentPolicy.Parse(options.AutoAugment), interpolation, FillFromMean(options.Mean)));
        else if (options.ColorJitter is { Count: > 0 })
            stages.Add(ColorJitter.FromConfig(options.ColorJitter));

        RandomErasing? erasing = null;
        if (options.ReProb > 0)
        {
            var random = options.ReValue.Trim().ToLowerInvariant() switch
            {
                "0" or "0.0" or "zeros" or "zero" => false,
                "random" or "pixel" => true,
                _ => throw new ArgumentException($"re_value '{options.ReValue}' is not supported; use 0 (zeros) or random (per-pixel normal values)", nameof(options)),
            };
            erasing = new RandomErasing(options.ReProb, options.ReScale, options.ReRatio, random, options.ReMaxAttempts);
        }
        return new ImageTransform(options.ImageResize, stages, new Normalization(options.Mean, options.Std, channels), erasing);
    }

    /// <summary>MindCV's transforms_imagenet_eval: resize the shorter side to floor(image_resize / crop_pct), centre crop, normalise.</summary>
    public static ImageTransform Eval(AugmentationOptions options, int channels, bool centerCrop = true)
    {
        var interpolation = InterpolationNames.Parse(options.Interpolation);
        Check(options);
        var geometry = new ResizeCenterCrop(options.ImageResize, centerCrop ? options.CropPct : 1.0, interpolation);
        return new ImageTransform(options.ImageResize, [geometry], new Normalization(options.Mean, options.Std, channels));
    }

    /// <summary>The fill colour of AutoAugment's geometric operations: the mean, rounded (timm's img_mean).</summary>
    public static byte[] FillFromMean(IReadOnlyList<double> mean) =>
        mean.Select(m => (byte)Math.Clamp(Math.Round(m), 0, 255)).ToArray();

    private static void Check(AugmentationOptions o)
    {
        if (o.ImageResize <= 0)
            throw new ArgumentException($"image_resize must be positive, not {o.ImageResize}");
        if (!(o.CropPct > 0 && o.CropPct <= 1))
            throw new ArgumentException($"crop_pct must be in (0, 1], not {o.CropPct}");
        if (!(o.Scale.Min > 0 && o.Scale.Min <= o.Scale.Max && o.Scale.Max <= 1))
            throw new ArgumentException($"scale must satisfy 0 < min <= max <= 1, not [{o.Scale.Min}, {o.Scale.Max}]");
        if (!(o.Ratio.Min > 0 && o.Ratio.Min <= o.Ratio.Max))
            throw new ArgumentException($"ratio must satisfy 0 < min <= max, not [{o.Ratio.Min}, {o.Ratio.Max}]");
        foreach (var (name, p) in new[] { ("hflip", o.HFlip), ("vflip", o.VFlip), ("re_prob", o.ReProb) })
            if (!(p >= 0 && p <= 1))
                throw new ArgumentException($"{name} is a probability in [0, 1], not {p}");
    }
}
