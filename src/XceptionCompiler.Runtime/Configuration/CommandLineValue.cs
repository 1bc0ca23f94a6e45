namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// Command-line text as a <see cref="RawValue"/>, read as the same text would be in a YAML file, so a flag and a file
/// line are checked alike: <c>--scale 0.08,1.0</c> or <c>--scale [0.08,1.0]</c> is a list (one number is a one-item list), <c>none</c> or <c>null</c>
/// is null, and an empty argument is the empty string (<c>--ckpt-path ''</c>).
/// </summary>
internal static class CommandLineValue
{
    public static RawValue Parse(string text, bool isList)
    {
        string trimmed = text.Trim();
        if (text.Length == 0)
            return new RawValue.Scalar("", Quoted: true);
        if (RawValue.IsNullText(trimmed))
            return new RawValue.Null();
        if (!isList)
            return new RawValue.Scalar(text, Quoted: false);

        // Always a list, so --mean 72.94 is the one-item list a flag has no other way to write.
        bool bracketed = trimmed.StartsWith('[') && trimmed.EndsWith(']');
        string inner = bracketed ? trimmed[1..^1].Trim() : trimmed;
        if (inner.Length == 0)
            return new RawValue.Sequence([]);
        return new RawValue.Sequence(inner.Split(',').Select(item => (RawValue)new RawValue.Scalar(item.Trim(), Quoted: false)).ToList());
    }
}
