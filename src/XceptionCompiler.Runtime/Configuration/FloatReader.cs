namespace XceptionCompiler.Runtime.Configuration;

/// <summary>A finite number within <see cref="Bounds"/>; integers are numbers too (loss_scale: 1024).</summary>
internal sealed class FloatReader(Bounds bounds) : ValueReader<double>
{
    public override string TypeName => "float";

    public override Parsed<double> Read(RawValue raw)
    {
        if (raw is not RawValue.Scalar scalar || !YamlScalars.TryFloat(scalar.Text, out double value))
            return Parsed<double>.Fail($"expected a number, got {raw.Describe()}");
        if (scalar.Quoted)
            return Parsed<double>.Fail($"expected a number, got {raw.Describe()} (remove the quotes)");
        if (!bounds.Contains(value))
            return Parsed<double>.Fail($"{scalar.Text} is out of range: {bounds.Describe()}");
        return Parsed<double>.Ok(value);
    }

    public override string Format(double value) => YamlScalars.Float(value);
}
