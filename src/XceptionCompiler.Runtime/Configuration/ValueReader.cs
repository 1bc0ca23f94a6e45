namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// One kind of value (an integer in a range, a choice, a [min, max] pair, ...): how it is read from a
/// <see cref="RawValue"/>, checked, named in help, and written back as YAML.
/// </summary>
internal abstract class ValueReader<T>
{
    /// <summary>For help and messages: "int", "float", "bool", "string", "auto|cpu|gpu", "[min, max]".</summary>
    public abstract string TypeName { get; }

    /// <summary>The accepted values when there is a fixed set, in their canonical spelling; else empty.</summary>
    public virtual IReadOnlyList<string> Choices => [];

    /// <summary>A boolean: on the command line the flag alone means True, as MindCV's str2bool options do.</summary>
    public virtual bool IsBoolean => false;

    /// <summary>Takes a list: command-line text is split at commas.</summary>
    public virtual bool IsList => false;

    public abstract Parsed<T> Read(RawValue raw);

    /// <summary>The value as YAML text that <see cref="Read"/> reads back to the same value.</summary>
    public abstract string Format(T value);
}
