using System.Text.Json;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Summary;

/// <summary>
/// The totals `xception summary` prints, computed from a network's graph and tensor table.
/// <see cref="Layers"/> counts every graph node, the input node included (the rows of the layer table).
/// </summary>
public sealed record NetworkSummary(
    string Name,
    int Layers,
    long Trainable,
    long BnStatistics,
    int Tensors,
    int[] Input,
    int Output,
    long MultiplyAdds,
    long ArenaFloatsPerImage,
    long EvalArenaFloatsPerImage)
{
    public static NetworkSummary Of(ICompiledNetwork network) => new(
        network.Name,
        network.Graph.Count,
        network.Tensors.Where(t => t.Trainable).Sum(t => (long)t.Length),
        network.Tensors.Where(t => !t.Trainable).Sum(t => (long)t.Length),
        network.Tensors.Count,
        network.InputShape,
        network.OutputSize,
        network.Graph.Sum(n => n.MultiplyAdds),
        network.ArenaFloats / network.MaxBatch,
        network.EvalArenaFloats / network.MaxBatch);

    /// <summary>One line of JSON with snake_case keys (what scripts parse from the last line of `summary --json`).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", Name);
            json.WriteNumber("layers", Layers);
            json.WriteNumber("trainable", Trainable);
            json.WriteNumber("bn_statistics", BnStatistics);
            json.WriteNumber("tensors", Tensors);
            json.WriteStartArray("input");
            foreach (var d in Input)
                json.WriteNumberValue(d);
            json.WriteEndArray();
            json.WriteNumber("output", Output);
            json.WriteNumber("macs", MultiplyAdds);
            json.WriteNumber("arena_floats_per_image", ArenaFloatsPerImage);
            json.WriteNumber("eval_arena_floats_per_image", EvalArenaFloatsPerImage);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
