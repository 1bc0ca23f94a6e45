namespace XceptionCompiler.Runtime.Data;

/// <summary>MindCV's interpolation names.</summary>
public static class InterpolationNames
{
    /// <summary>Parses MindCV's names: nearest, bilinear (or linear), bicubic (or cubic), area (or box).</summary>
    public static Interpolation Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "nearest" => Interpolation.Nearest,
        "bilinear" or "linear" => Interpolation.Bilinear,
        "bicubic" or "cubic" => Interpolation.Bicubic,
        "area" or "box" => Interpolation.Area,
        _ => throw new ArgumentException($"unknown interpolation '{name}'; use nearest, bilinear, bicubic or area", nameof(name)),
    };
}
