namespace XceptionCompiler.Runtime.Configuration;

/// <summary>An integer within <see cref="Bounds"/>, or one of a few allowed integers (mode: 0 or 1).</summary>
internal sealed class IntReader(Bounds bounds, IReadOnlyList<int>? allowed = null) : ValueReader<int>
{
    public override string TypeName => allowed is null ? "int" : string.Join("|", allowed);

    public override Parsed<int> Read(RawValue raw)
    {
        if (raw is not RawValue.Scalar scalar || !YamlScalars.TryInt(scalar.Text, out int value))
        {
            string hint = raw is RawValue.Scalar s && YamlScalars.TryFloat(s.Text, out _) && !s.Quoted ? " (a whole number)" : "";
            return Parsed<int>.Fail($"expected an integer{hint}, got {raw.Describe()}");
        }
        if (scalar.Quoted)
            return Parsed<int>.Fail($"expected an integer, got {raw.Describe()} (remove the quotes)");
        if (allowed is not null && !allowed.Contains(value))
            return Parsed<int>.Fail($"{value} is not allowed: must be {string.Join(" or ", allowed)}");
        if (!bounds.Contains(value))
            return Parsed<int>.Fail($"{value} is out of range: {bounds.Describe()}");
        return Parsed<int>.Ok(value);
    }

    public override string Format(int value) => YamlScalars.Int(value);
}
