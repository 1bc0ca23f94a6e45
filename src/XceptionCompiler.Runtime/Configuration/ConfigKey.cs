namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// One key of <see cref="TrainConfig"/> as files and the command line know it: its MindCV name, group, type, default
/// and meaning. <see cref="ConfigKeys.All"/> lists them, so a front end can offer every key without naming any.
/// </summary>
public abstract class ConfigKey
{
    private protected ConfigKey(string group, string name, string description)
    {
        Group = group;
        Name = name;
        Description = description;
    }

    /// <summary>The name in YAML files and MindCV's argparse: <c>batch_size</c>.</summary>
    public string Name { get; }

    /// <summary>One of <see cref="ConfigGroup.All"/>.</summary>
    public string Group { get; }

    /// <summary>What the key means and which values it accepts, in one or two sentences.</summary>
    public string Description { get; }

    /// <summary>For help: "int", "float", "bool", "string", "[min, max]", "auto|cpu|gpu", "int or null".</summary>
    public abstract string TypeName { get; }

    /// <summary>The accepted values when there is a fixed set, in canonical spelling; else empty.</summary>
    public abstract IReadOnlyList<string> Choices { get; }

    /// <summary>True for booleans: on the command line the flag alone means True.</summary>
    public abstract bool IsBoolean { get; }

    /// <summary>True for lists: on the command line they are written 0.08,1.0 or [0.08, 1.0].</summary>
    public abstract bool IsList { get; }

    /// <summary>The command-line flag: <c>--batch-size</c>.</summary>
    public string Flag => "--" + Name.Replace('_', '-');

    /// <summary>The flag as MindCV's train.py spells it: <c>--batch_size</c> (the same as <see cref="Flag"/> for one-word keys).</summary>
    public string UnderscoreFlag => "--" + Name;

    /// <summary>The default as YAML text: <c>128</c>, <c>'cosine_decay'</c>, <c>[0.08, 1.0]</c>, <c>null</c>.</summary>
    public string DefaultText => Format(TrainConfig.Default);

    /// <summary>This key's value in <paramref name="config"/> as YAML text that reads back to the same value.</summary>
    public abstract string Format(TrainConfig config);

    /// <summary>This key's value in <paramref name="config"/> (boxed; null for a null optional value).</summary>
    public abstract object? GetValue(TrainConfig config);

    /// <summary><paramref name="config"/> with this key set from <paramref name="raw"/>, or why it cannot be.</summary>
    internal abstract Parsed<TrainConfig> Set(TrainConfig config, RawValue raw);

    public override string ToString() => Name;
}
