namespace XceptionCompiler.Runtime.Configuration;

/// <summary>A number that may be null (num_classes: null = the dataset's); YAML's null, ~ or None gives null.</summary>
internal sealed class OptionalReader<T>(ValueReader<T> inner) : ValueReader<T?>
    where T : struct
{
    public override string TypeName => inner.TypeName + " or null";

    public override Parsed<T?> Read(RawValue raw)
    {
        if (raw is RawValue.Null)
            return Parsed<T?>.Ok(null);
        var parsed = inner.Read(raw);
        return parsed.Failed ? Parsed<T?>.Fail(parsed.Problem!) : Parsed<T?>.Ok(parsed.Value);
    }

    public override string Format(T? value) => value is { } v ? inner.Format(v) : "null";
}

/// <summary>A string that may be null (auto_augment: null = none); an empty string means null too.</summary>
internal sealed class OptionalTextReader(ValueReader<string> inner) : ValueReader<string?>
{
    public override string TypeName => inner.TypeName + " or null";

    public override Parsed<string?> Read(RawValue raw)
    {
        if (raw is RawValue.Null or RawValue.Scalar { Text: "" })
            return Parsed<string?>.Ok(null);
        var parsed = inner.Read(raw);
        return parsed.Failed ? Parsed<string?>.Fail(parsed.Problem!) : Parsed<string?>.Ok(parsed.Value);
    }

    public override string Format(string? value) => value is null ? "null" : inner.Format(value);
}
