namespace XceptionCompiler.Runtime.Data;

/// <summary>The operations of AutoAugment's search space (Cubuk et al. 2018), by the names of timm and MindCV.</summary>
public enum AugmentOp
{
    ShearX,
    ShearY,
    TranslateX,
    TranslateY,
    Rotate,
    AutoContrast,
    Invert,
    Equalize,
    Solarize,

    /// <summary>Posterize keeping floor(4 m / 10) bits (at least 1), as timm's RandAugment op.</summary>
    Posterize,

    /// <summary>Posterize with the paper's mapping, bits = 4 + floor(4 m / 10): more bits kept at higher magnitude ('autoaug').</summary>
    PosterizeOriginal,

    /// <summary>Posterize with bits = 4 - floor(4 m / 10): stronger at higher magnitude ('autoaugr').</summary>
    PosterizeIncreasing,
    Contrast,
    Color,
    Brightness,
    Sharpness,
}
