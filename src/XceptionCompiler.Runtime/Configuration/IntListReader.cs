namespace XceptionCompiler.Runtime.Configuration;

/// <summary>A list of integers within <see cref="Bounds"/>, strictly increasing when <paramref name="increasing"/> (epoch milestones).</summary>
internal sealed class IntListReader(Bounds bounds, bool increasing) : ValueReader<ValueList<int>>
{
    public override string TypeName => "int list";

    public override bool IsList => true;

    public override Parsed<ValueList<int>> Read(RawValue raw)
    {
        if (raw is not RawValue.Sequence sequence)
            return Parsed<ValueList<int>>.Fail($"expected a list of integers, got {raw.Describe()}");
        var values = new int[sequence.Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (sequence.Items[i] is not RawValue.Scalar { Quoted: false } item || !YamlScalars.TryInt(item.Text, out values[i]))
                return Parsed<ValueList<int>>.Fail($"item {i + 1}: expected an integer, got {sequence.Items[i].Describe()}");
            if (!bounds.Contains(values[i]))
                return Parsed<ValueList<int>>.Fail($"item {i + 1}: {values[i]} is out of range: {bounds.Describe()}");
            if (increasing && i > 0 && values[i] <= values[i - 1])
                return Parsed<ValueList<int>>.Fail($"item {i + 1}: {values[i]} does not increase on {values[i - 1]}");
        }
        return Parsed<ValueList<int>>.Ok(new ValueList<int>(values));
    }

    public override string Format(ValueList<int> value) => "[" + string.Join(", ", value.Select(YamlScalars.Int)) + "]";
}
