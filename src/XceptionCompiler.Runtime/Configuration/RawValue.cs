namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// A value as written, before a key gives it a type: YAML nodes and command-line text both become one of these, so a
/// value is checked by the same code wherever it comes from.
/// </summary>
internal abstract record RawValue
{
    /// <summary>A scalar. <paramref name="Quoted"/> is true for YAML's '...' and "..." (and !!str): those are strings, never numbers or booleans.</summary>
    public sealed record Scalar(string Text, bool Quoted) : RawValue;

    /// <summary>YAML's null: an empty plain value, <c>~</c>, <c>null</c>; also <c>None</c>, as MindCV users write it.</summary>
    public sealed record Null : RawValue;

    /// <summary>A list, <c>[a, b]</c> or one <c>- item</c> per line.</summary>
    public sealed record Sequence(IReadOnlyList<RawValue> Items) : RawValue;

    /// <summary>A nested mapping: no key takes one.</summary>
    public sealed record Mapping : RawValue;

    /// <summary>For messages: "got ...".</summary>
    public string Describe() => this switch
    {
        Scalar { Quoted: true } s => $"the string '{s.Text}'",
        Scalar s => $"'{s.Text}'",
        Null => "no value",
        Sequence => "a list",
        _ => "a mapping",
    };

    /// <summary>Plain scalars YAML and MindCV read as null.</summary>
    public static bool IsNullText(string text) =>
        text is "" or "~" || text.Equals("null", StringComparison.OrdinalIgnoreCase) || text.Equals("none", StringComparison.OrdinalIgnoreCase);
}
