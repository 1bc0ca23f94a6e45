namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// The AutoAugment stage: picks one sub-policy, then applies each of its steps with the step's probability.
/// Magnitudes (0..10) map to arguments as in timm and MindCV: rotate ±30°·m/10, shear ±0.3·m/10, translate
/// ±0.45·m/10 of the image size (sign chosen at random), solarize threshold 256·m/10, enhance factor 0.1 + 1.8·m/10.
/// Geometric steps fill with <see cref="Fill"/> (the dataset mean, rounded) and use <see cref="Interpolation"/>.
/// </summary>
public sealed class AutoAugment(AutoAugmentPolicy policy, Interpolation interpolation, byte[] fill) : IPixelStage
{
    public const double MaxMagnitude = 10;

    public AutoAugmentPolicy Policy { get; } = policy;
    public Interpolation Interpolation { get; } = interpolation;
    private readonly byte[] _fill = fill;

    public IReadOnlyList<byte> Fill => _fill;

    public void Apply(PixelImage image, SampleRandom random, TransformScratch scratch)
    {
        var subPolicy = Policy.SubPolicies[random.Next(Policy.SubPolicies.Count)];
        foreach (var step in subPolicy)
        {
            if (!random.Chance(step.Probability))
                continue;
            var magnitude = step.Magnitude;
            if (Policy.MagnitudeStd > 0)
                magnitude += Policy.MagnitudeStd * random.NextGaussian();
            Apply(step.Op, image, Math.Clamp(magnitude, 0, MaxMagnitude), random, scratch);
        }
    }

    /// <summary>Applies one operation at magnitude <paramref name="magnitude"/> (random only for the sign of signed operations).</summary>
    public void Apply(AugmentOp op, PixelImage image, double magnitude, SampleRandom random, TransformScratch scratch)
    {
        var level = magnitude / MaxMagnitude;
        ReadOnlySpan<byte> fill = _fill;
        switch (op)
        {
            case AugmentOp.ShearX:
                AffineOps.ShearX(image, Signed(0.3 * level, random), Interpolation, fill, scratch);
                break;
            case AugmentOp.ShearY:
                AffineOps.ShearY(image, Signed(0.3 * level, random), Interpolation, fill, scratch);
                break;
            case AugmentOp.TranslateX:
                AffineOps.TranslateX(image, Signed(0.45 * level, random) * image.Width, Interpolation, fill, scratch);
                break;
            case AugmentOp.TranslateY:
                AffineOps.TranslateY(image, Signed(0.45 * level, random) * image.Height, Interpolation, fill, scratch);
                break;
            case AugmentOp.Rotate:
                AffineOps.Rotate(image, Signed(30 * level, random), Interpolation, fill, scratch);
                break;
            case AugmentOp.AutoContrast:
                PixelOps.AutoContrast(image, scratch);
                break;
            case AugmentOp.Invert:
                PixelOps.Invert(image);
                break;
            case AugmentOp.Equalize:
                PixelOps.Equalize(image, scratch);
                break;
            case AugmentOp.Solarize:
                PixelOps.Solarize(image, (int)(256 * level));
                break;
            case AugmentOp.Posterize:
                PixelOps.Posterize(image, Math.Max((int)(4 * level), 1)); // timm's plain 'Posterize' keeps floor(4 m / 10) bits; never 0 (a black image)
                break;
            case AugmentOp.PosterizeOriginal:
                PixelOps.Posterize(image, (int)(4 * level) + 4);
                break;
            case AugmentOp.PosterizeIncreasing:
                PixelOps.Posterize(image, Math.Max(4 - (int)(4 * level), 1));
                break;
            case AugmentOp.Contrast:
                EnhanceOps.Contrast(image, Enhance(level));
                break;
            case AugmentOp.Color:
                EnhanceOps.Color(image, Enhance(level));
                break;
            case AugmentOp.Brightness:
                EnhanceOps.Brightness(image, Enhance(level));
                break;
            case AugmentOp.Sharpness:
                EnhanceOps.Sharpness(image, Enhance(level), scratch);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "unknown AutoAugment operation");
        }
    }

    private static double Enhance(double level) => 0.1 + 1.8 * level;

    private static double Signed(double value, SampleRandom random) => random.NextDouble() < 0.5 ? -value : value;
}
