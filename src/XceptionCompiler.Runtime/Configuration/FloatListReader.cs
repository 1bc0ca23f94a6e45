namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// A list of numbers within <see cref="Bounds"/>, of one of the allowed lengths (any when none are given). A
/// <paramref name="range"/> is a [min, max] pair with min &lt;= max. With <paramref name="scalarAllowed"/> a single
/// number stands for a one-item list (color_jitter: 0.4), as MindCV allows there and nowhere else: scale: 0.08 is an error.
/// </summary>
internal sealed class FloatListReader(IReadOnlyList<int> lengths, Bounds bounds, bool range = false, bool scalarAllowed = false)
    : ValueReader<ValueList<double>>
{
    public override string TypeName => range ? "[min, max]" : "float list";

    public override bool IsList => true;

    public override Parsed<ValueList<double>> Read(RawValue raw)
    {
        if (raw is RawValue.Scalar { Quoted: false } scalar && scalarAllowed)
            return Check([scalar]);
        if (raw is not RawValue.Sequence sequence)
            return Parsed<ValueList<double>>.Fail($"expected {Expected()}, got {raw.Describe()}");
        return Check(sequence.Items);
    }

    public override string Format(ValueList<double> value) => "[" + string.Join(", ", value.Select(YamlScalars.Float)) + "]";

    private Parsed<ValueList<double>> Check(IReadOnlyList<RawValue> items)
    {
        if (lengths.Count > 0 && !lengths.Contains(items.Count))
            return Parsed<ValueList<double>>.Fail($"expected {Expected()}, got {items.Count} item{(items.Count == 1 ? "" : "s")}");
        var values = new double[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is not RawValue.Scalar { Quoted: false } item || !YamlScalars.TryFloat(item.Text, out values[i]))
                return Parsed<ValueList<double>>.Fail($"item {i + 1}: expected a number, got {items[i].Describe()}");
            if (!bounds.Contains(values[i]))
                return Parsed<ValueList<double>>.Fail($"item {i + 1}: {item.Text} is out of range: {bounds.Describe()}");
        }
        if (range && values[0] > values[1])
            return Parsed<ValueList<double>>.Fail($"min {YamlScalars.Float(values[0])} is greater than max {YamlScalars.Float(values[1])}");
        return Parsed<ValueList<double>>.Ok(new ValueList<double>(values));
    }

    /// <summary>"a list of 2 numbers [min, max]", "a number or a list of 1, 3 or 4 numbers".</summary>
    private string Expected()
    {
        string count = lengths.Count switch
        {
            0 => "",
            1 => $"{lengths[0]} ",
            _ => string.Join(", ", lengths.Take(lengths.Count - 1)) + $" or {lengths[^1]} ",
        };
        string list = $"a list of {count}numbers" + (range ? " [min, max]" : "");
        return scalarAllowed ? "a number or " + list : list;
    }
}
