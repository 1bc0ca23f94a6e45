namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// The augmentation keys of a MindCV config, with MindCV's defaults. Mean and std are in 0-255 units, as MindCV writes
/// them. Property names map to the YAML keys in the comments.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>image_resize: the side of the square network input.</summary>
    public int ImageResize { get; init; } = 224;

    /// <summary>scale: RandomResizedCrop's area fraction range.</summary>
    public (double Min, double Max) Scale { get; init; } = (0.08, 1.0);

    /// <summary>ratio: RandomResizedCrop's aspect-ratio range.</summary>
    public (double Min, double Max) Ratio { get; init; } = (0.75, 1.333);

    /// <summary>hflip: probability of a horizontal flip.</summary>
    public double HFlip { get; init; } = 0.5;

    /// <summary>vflip: probability of a vertical flip.</summary>
    public double VFlip { get; init; }

    /// <summary>interpolation: nearest, bilinear, bicubic or area.</summary>
    public string Interpolation { get; init; } = "bilinear";

    /// <summary>auto_augment: null or empty for none, "autoaug" or "autoaugr", with an optional "-mstd&lt;x&gt;".</summary>
    public string? AutoAugment { get; init; }

    /// <summary>color_jitter: null for none; used only when <see cref="AutoAugment"/> is off, as in MindCV.</summary>
    public IReadOnlyList<double>? ColorJitter { get; init; }

    /// <summary>re_prob: probability of random erasing.</summary>
    public double ReProb { get; init; }

    /// <summary>re_scale: erased area fraction range.</summary>
    public (double Min, double Max) ReScale { get; init; } = (0.02, 0.33);

    /// <summary>re_ratio: erased rectangle aspect-ratio range.</summary>
    public (double Min, double Max) ReRatio { get; init; } = (0.3, 3.3);

    /// <summary>re_value: "0" (MindCV's default) fills with zeros; "random" fills with standard-normal values per pixel.</summary>
    public string ReValue { get; init; } = "0";

    /// <summary>re_max_attempts.</summary>
    public int ReMaxAttempts { get; init; } = 10;

    /// <summary>crop_pct: evaluation resizes the shorter side to floor(image_resize / crop_pct), then centre-crops.</summary>
    public double CropPct { get; init; } = 0.875;

    /// <summary>mean, 0-255 units, one value per channel (or one for all).</summary>
    public IReadOnlyList<double> Mean { get; init; } = [0.485 * 255, 0.456 * 255, 0.406 * 255];

    /// <summary>std, 0-255 units.</summary>
    public IReadOnlyList<double> Std { get; init; } = [0.229 * 255, 0.224 * 255, 0.225 * 255];

    /// <summary>Fashion-MNIST's training-set pixel mean and standard deviation, 0-255 units.</summary>
    public static IReadOnlyList<double> FashionMnistMean { get; } = [0.2860 * 255];
    public static IReadOnlyList<double> FashionMnistStd { get; } = [0.3530 * 255];

    /// <summary>Defaults for Fashion-MNIST at its native 28x28: its own statistics, flips only.</summary>
    public static AugmentationOptions FashionMnist { get; } = new()
    {
        ImageResize = FashionMnistSource.Side,
        CropPct = 1.0,
        Mean = FashionMnistMean,
        Std = FashionMnistStd,
    };
}
