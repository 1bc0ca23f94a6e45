namespace XceptionCompiler.Runtime.Configuration;

/// <summary>A <see cref="ConfigKey"/> bound to its <see cref="TrainConfig"/> property through a getter and a <c>with</c> setter.</summary>
internal sealed class ConfigKey<T>(
    string group,
    string name,
    Func<TrainConfig, T> get,
    Func<TrainConfig, T, TrainConfig> set,
    ValueReader<T> reader,
    string description) : ConfigKey(group, name, description)
{
    public override string TypeName => reader.TypeName;

    public override IReadOnlyList<string> Choices => reader.Choices;

    public override bool IsBoolean => reader.IsBoolean;

    public override bool IsList => reader.IsList;

    public override string Format(TrainConfig config) => reader.Format(get(config));

    public override object? GetValue(TrainConfig config) => get(config);

    internal override Parsed<TrainConfig> Set(TrainConfig config, RawValue raw)
    {
        var parsed = reader.Read(raw);
        return parsed.Failed ? Parsed<TrainConfig>.Fail(parsed.Problem!) : Parsed<TrainConfig>.Ok(set(config, parsed.Value));
    }
}
