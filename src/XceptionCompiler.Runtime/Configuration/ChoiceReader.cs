namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// One of a fixed set of names, matched ignoring case (MindCV's factories lower-case opt and loss, and its own files
/// write 'SGD' and "ce"); the value kept is the set's own spelling, so code compares against one form.
/// </summary>
internal sealed class ChoiceReader(IReadOnlyList<string> values) : ValueReader<string>
{
    public override string TypeName => string.Join("|", values);

    public override IReadOnlyList<string> Choices => values;

    public override Parsed<string> Read(RawValue raw)
    {
        if (raw is not RawValue.Scalar scalar)
            return Parsed<string>.Fail($"expected one of {string.Join(", ", values)}; got {raw.Describe()}");
        var match = values.FirstOrDefault(v => v.Equals(scalar.Text, StringComparison.OrdinalIgnoreCase));
        return match is not null
            ? Parsed<string>.Ok(match)
            : Parsed<string>.Fail($"'{scalar.Text}' is not one of {string.Join(", ", values)}{Suggestions.Hint(scalar.Text, values)}");
    }

    public override string Format(string value) => YamlScalars.String(value);
}
