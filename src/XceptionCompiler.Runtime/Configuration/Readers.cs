namespace XceptionCompiler.Runtime.Configuration;

/// <summary>The value kinds the key table is written in, named for how they read there.</summary>
internal static class Readers
{
    /// <summary>Policy names MindCV's transforms recognize, before any -option suffix (randaug-m9-mstd0.5).</summary>
    private static readonly string[] AutoAugmentPolicies = ["randaug", "autoaug", "autoaugr", "3a", "augmix", "trivialaugwide"];

    public static ValueReader<bool> Bool { get; } = new BoolReader();

    public static ValueReader<int> Int(Bounds bounds) => new IntReader(bounds);

    public static ValueReader<int> IntChoice(params int[] allowed) => new IntReader(Bounds.Any, allowed);

    public static ValueReader<double> Float(Bounds bounds) => new FloatReader(bounds);

    public static ValueReader<string> Text(bool allowEmpty) => new TextValueReader(allowEmpty);

    public static ValueReader<string> Choice(params string[] values) => new ChoiceReader(values);

    public static ValueReader<T?> Optional<T>(ValueReader<T> inner) where T : struct => new OptionalReader<T>(inner);

    public static ValueReader<string?> Optional(ValueReader<string> inner) => new OptionalTextReader(inner);

    /// <summary>A [min, max] pair of numbers within <paramref name="bounds"/>.</summary>
    public static ValueReader<ValueList<double>> Range(Bounds bounds) => new FloatListReader([2], bounds, range: true);

    public static ValueReader<ValueList<double>> FloatList(int[] lengths, Bounds bounds, bool scalarAllowed = false) =>
        new FloatListReader(lengths, bounds, scalarAllowed: scalarAllowed);

    /// <summary>Epochs in increasing order; an empty list is allowed (no decay).</summary>
    public static ValueReader<ValueList<int>> Milestones { get; } = new IntListReader(Bounds.AtLeast(0), increasing: true);

    /// <summary>A policy name with optional timm-style options: randaug-m9-mstd0.5-inc1, autoaug, trivialaugwide.</summary>
    public static ValueReader<string> AutoAugmentPolicy { get; } = new TextValueReader(allowEmpty: false, policy =>
    {
        string name = policy.Split('-')[0];
        return AutoAugmentPolicies.Contains(name)
            ? null
            : $"'{policy}' is not an augmentation policy: expected {string.Join(", ", AutoAugmentPolicies)} or null, " +
              $"optionally followed by -options (randaug-m9-mstd0.5){Suggestions.Hint(name, AutoAugmentPolicies)}";
    }, typeName: "policy");

    /// <summary>A pixel value to fill erased areas with, or 'random'.</summary>
    public static ValueReader<string> ErasingValue { get; } = new TextValueReader(allowEmpty: false, value =>
        YamlScalars.TryFloat(value, out _) || value == "random" ? null : $"expected a number or 'random', got '{value}'",
        typeName: "number|random");
}
