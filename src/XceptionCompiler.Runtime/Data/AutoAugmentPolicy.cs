using System.Globalization;

namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// An AutoAugment policy: sub-policies of two steps each; one sub-policy is picked uniformly per image. Built from
/// MindCV's auto_augment string: "autoaug" (the paper's ImageNet policy, 25 sub-policies) or "autoaugr" (the same with
/// PosterizeIncreasing), optionally followed by "-mstd&lt;x&gt;", the standard deviation of Gaussian noise added to every
/// magnitude (MindCV's default is 0.5; "-mstd0" gives the paper's fixed magnitudes).
/// </summary>
public sealed record AutoAugmentPolicy(string Name, IReadOnlyList<AugmentStep[]> SubPolicies, double MagnitudeStd)
{
    public const double DefaultMagnitudeStd = 0.5;

    public static AutoAugmentPolicy Parse(string config)
    {
        var parts = config.Trim().ToLowerInvariant().Split('-');
        var posterize = parts[0] switch
        {
            "autoaug" => AugmentOp.PosterizeOriginal,
            "autoaugr" => AugmentOp.PosterizeIncreasing,
            _ => throw new ArgumentException($"unknown auto_augment policy '{parts[0]}' in '{config}'; use autoaug or autoaugr (randaug and trivialaug are not implemented)", nameof(config)),
        };
        var mstd = DefaultMagnitudeStd;
        foreach (var part in parts.Skip(1))
        {
            if (part.StartsWith("mstd", StringComparison.Ordinal) && double.TryParse(part.AsSpan(4), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
                mstd = value;
            else
                throw new ArgumentException($"unknown auto_augment option '{part}' in '{config}'; the one option is mstd<x> (magnitude noise, e.g. autoaug-mstd0.5)", nameof(config));
        }
        return new AutoAugmentPolicy(parts[0], ImageNet(posterize), mstd);
    }

    /// <summary>The ImageNet policy of the AutoAugment paper (Appendix, Table 9), as timm's "original" policy lists it.</summary>
    public static AugmentStep[][] ImageNet(AugmentOp posterize = AugmentOp.PosterizeOriginal)
    {
        AugmentStep S(AugmentOp op, double p, double m) => new(op == AugmentOp.Posterize ? posterize : op, p, m);
        const AugmentOp Post = AugmentOp.Posterize, Rot = AugmentOp.Rotate, Sol = AugmentOp.Solarize, AC = AugmentOp.AutoContrast,
            Eq = AugmentOp.Equalize, Col = AugmentOp.Color, Con = AugmentOp.Contrast, Inv = AugmentOp.Invert, Sh = AugmentOp.Sharpness, ShX = AugmentOp.ShearX;
        return
        [
            [S(Post, 0.4, 8), S(Rot, 0.6, 9)],
            [S(Sol, 0.6, 5), S(AC, 0.6, 5)],
            [S(Eq, 0.8, 8), S(Eq, 0.6, 3)],
            [S(Post, 0.6, 7), S(Post, 0.6, 6)],
            [S(Eq, 0.4, 7), S(Sol, 0.2, 4)],
            [S(Eq, 0.4, 4), S(Rot, 0.8, 8)],
            [S(Sol, 0.6, 3), S(Eq, 0.6, 7)],
            [S(Post, 0.8, 5), S(Eq, 1.0, 2)],
            [S(Rot, 0.2, 3), S(Sol, 0.6, 8)],
            [S(Eq, 0.6, 8), S(Post, 0.4, 6)],
            [S(Rot, 0.8, 8), S(Col, 0.4, 0)],
            [S(Rot, 0.4, 9), S(Eq, 0.6, 2)],
            [S(Eq, 0.0, 7), S(Eq, 0.8, 8)],
            [S(Inv, 0.6, 4), S(Eq, 1.0, 8)],
            [S(Col, 0.6, 4), S(Con, 1.0, 8)],
            [S(Rot, 0.8, 8), S(Col, 1.0, 2)],
            [S(Col, 0.8, 8), S(Sol, 0.8, 7)],
            [S(Sh, 0.4, 7), S(Inv, 0.6, 8)],
            [S(ShX, 0.6, 5), S(Eq, 1.0, 9)],
            [S(Col, 0.4, 0), S(Eq, 0.6, 3)],
            [S(Eq, 0.4, 7), S(Sol, 0.2, 4)],
            [S(Sol, 0.6, 5), S(AC, 0.6, 5)],
            [S(Inv, 0.6, 4), S(Eq, 1.0, 8)],
            [S(Col, 0.6, 4), S(Con, 1.0, 8)],
            [S(Eq, 0.8, 8), S(Eq, 0.6, 3)],
        ];
    }
}
