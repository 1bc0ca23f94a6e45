using System.Globalization;

namespace XceptionCompiler.Runtime.Configuration;

/// <summary>The interval a number must lie in; either end may be open or absent (infinite).</summary>
internal readonly record struct Bounds(double Min, double Max, bool MinOpen = false, bool MaxOpen = false)
{
    public static Bounds Any => new(double.NegativeInfinity, double.PositiveInfinity);

    public static Bounds AtLeast(double min) => new(min, double.PositiveInfinity);

    /// <summary>(0, ∞): sizes, rates and factors that zero would break.</summary>
    public static Bounds Positive => new(0, double.PositiveInfinity, MinOpen: true);

    /// <summary>[0, 1].</summary>
    public static Bounds Probability => new(0, 1);

    /// <summary>(0, 1]: a share of something that cannot be empty.</summary>
    public static Bounds Fraction => new(0, 1, MinOpen: true);

    /// <summary>(0, 1): a decay that neither freezes nor forgets at once.</summary>
    public static Bounds OpenFraction => new(0, 1, MinOpen: true, MaxOpen: true);

    /// <summary>[0, max): rates where max would drop or smooth everything.</summary>
    public static Bounds Below(double max) => new(0, max, MaxOpen: true);

    public bool Contains(double value) =>
        (MinOpen ? value > Min : value >= Min) && (MaxOpen ? value < Max : value <= Max);

    /// <summary>"must be >= 1", "must be in [0, 1)".</summary>
    public string Describe()
    {
        bool hasMin = !double.IsNegativeInfinity(Min), hasMax = !double.IsPositiveInfinity(Max);
        if (hasMin && hasMax)
            return $"must be in {(MinOpen ? "(" : "[")}{Text(Min)}, {Text(Max)}{(MaxOpen ? ")" : "]")}";
        if (hasMin)
            return $"must be {(MinOpen ? ">" : ">=")} {Text(Min)}";
        return hasMax ? $"must be {(MaxOpen ? "<" : "<=")} {Text(Max)}" : "may be any number";
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
