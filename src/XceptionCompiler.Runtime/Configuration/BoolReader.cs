namespace XceptionCompiler.Runtime.Configuration;

/// <summary>True or False; quoted text is a string to YAML, so 'True' is refused rather than guessed at.</summary>
internal sealed class BoolReader : ValueReader<bool>
{
    public override string TypeName => "bool";

    public override bool IsBoolean => true;

    public override Parsed<bool> Read(RawValue raw) => raw switch
    {
        RawValue.Scalar { Quoted: false } s when YamlScalars.TryBool(s.Text, out bool value) => Parsed<bool>.Ok(value),
        RawValue.Scalar { Quoted: true } s when YamlScalars.TryBool(s.Text, out _) =>
            Parsed<bool>.Fail($"expected True or False, got {raw.Describe()} (remove the quotes)"),
        _ => Parsed<bool>.Fail($"expected True or False, got {raw.Describe()}"),
    };

    public override string Format(bool value) => YamlScalars.Bool(value);
}
