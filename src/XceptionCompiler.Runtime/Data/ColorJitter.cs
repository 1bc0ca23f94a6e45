namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// MindCV's color_jitter (RandomColorAdjust without hue): brightness, contrast and saturation factors drawn
/// uniformly from [max(0, 1 - x), 1 + x] and applied in a random order, as torchvision's ColorJitter does.
/// MindCV uses it only when auto_augment is off.
/// </summary>
public sealed record ColorJitter(double Brightness, double Contrast, double Saturation) : IPixelStage
{
    /// <summary>From MindCV's color_jitter value: one number for all three, or [brightness, contrast, saturation] (a fourth, hue, must be 0).</summary>
    public static ColorJitter FromConfig(IReadOnlyList<double> values) => values.Count switch
    {
        1 => new ColorJitter(values[0], values[0], values[0]),
        3 => new ColorJitter(values[0], values[1], values[2]),
        4 when values[3] == 0 => new ColorJitter(values[0], values[1], values[2]),
        4 => throw new ArgumentException("color_jitter hue is not implemented; give 3 values or a hue of 0", nameof(values)),
        _ => throw new ArgumentException($"color_jitter takes 1, 3 or 4 values, not {values.Count}", nameof(values)),
    };

    public void Apply(PixelImage image, SampleRandom random, TransformScratch scratch)
    {
        Span<int> order = [0, 1, 2];
        for (var i = 2; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        foreach (var op in order)
        {
            var amount = op switch { 0 => Brightness, 1 => Contrast, _ => Saturation };
            if (amount <= 0)
                continue;
            var factor = random.Uniform(Math.Max(0, 1 - amount), 1 + amount);
            switch (op)
            {
                case 0: EnhanceOps.Brightness(image, factor); break;
                case 1: EnhanceOps.Contrast(image, factor); break;
                default: EnhanceOps.Color(image, factor); break;
            }
        }
    }
}
