namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// A string, quoted or not (YAML reads <c>model: xception</c> and <c>model: 'xception'</c> alike); optionally
/// non-empty, and optionally checked by <paramref name="check"/>, which returns what is wrong or null.
/// </summary>
internal sealed class TextValueReader(bool allowEmpty, Func<string, string?>? check = null, string typeName = "string") : ValueReader<string>
{
    public override string TypeName => typeName;

    public override Parsed<string> Read(RawValue raw)
    {
        if (raw is RawValue.Null && allowEmpty)
            return Parsed<string>.Fail("expected a string, got no value (write '' for an empty string)");
        if (raw is not RawValue.Scalar scalar)
            return Parsed<string>.Fail($"expected a {typeName}, got {raw.Describe()}");
        if (scalar.Text.Length == 0 && !allowEmpty)
            return Parsed<string>.Fail("must not be empty");
        return check?.Invoke(scalar.Text) is { } problem ? Parsed<string>.Fail(problem) : Parsed<string>.Ok(scalar.Text);
    }

    public override string Format(string value) => YamlScalars.String(value);
}
