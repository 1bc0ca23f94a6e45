using System.Text.Json;

namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// The parsed and validated JSON header of a safetensors file. Validation follows the format's rules:
/// the header is a JSON object starting with '{', every entry has a supported dtype, a shape and data_offsets whose
/// span equals shape × element size, and the tensors tile the data section exactly (no overlap, no hole, nothing after).
/// </summary>
internal sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The reference implementation's limit; a larger value means a corrupt or hostile file.</summary>
    public const long MaxLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    public static SafeTensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long dataLength)
    {
        if (json.Length == 0 || json.Span[0] != (byte)'{')
            throw new CheckpointException(path, "the header does not start with '{'; this is not a safetensors file");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"the header is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            var tensors = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(entry.Name))
                    throw new CheckpointException(path, $"the header names '{entry.Name}' twice");
                if (entry.Name == MetadataKey)
                    ReadMetadata(path, entry.Value, metadata);
                else
                    tensors.Add(ReadTensor(path, entry.Name, entry.Value, dataLength));
            }
            CheckTiling(path, tensors, dataLength);
            return new SafeTensorsHeader(tensors, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(path, $"'{MetadataKey}' must be an object of strings, found {value.ValueKind}");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointException(path, $"'{MetadataKey}' entry '{item.Name}' must be a string, found {item.Value.ValueKind}");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafeTensorInfo ReadTensor(string path, string name, JsonElement value, long dataLength)
    {
        CheckpointException Bad(string problem) => new(path, $"tensor '{name}': {problem}");

        if (value.ValueKind != JsonValueKind.Object)
            throw Bad($"the entry must be an object with dtype, shape and data_offsets, found {value.ValueKind}");
        if (!value.TryGetProperty("dtype", out var dtypeValue))
            throw Bad("no 'dtype'");
        if (!value.TryGetProperty("shape", out var shapeValue))
            throw Bad("no 'shape'");
        if (!value.TryGetProperty("data_offsets", out var offsetsValue))
            throw Bad("no 'data_offsets'");

        var dtypeText = dtypeValue.ValueKind == JsonValueKind.String ? dtypeValue.GetString() : dtypeValue.GetRawText();
        if (!SafeTensorsDTypes.TryParse(dtypeText, out var dtype))
            throw Bad($"unsupported dtype '{dtypeText}' (supported: {SafeTensorsDTypes.Supported})");

        var shape = ReadIntegers(shapeValue, int.MaxValue)
            ?? throw Bad($"'shape' must be an array of non-negative integers, found {shapeValue.GetRawText()}");
        var offsets = ReadIntegers(offsetsValue, long.MaxValue);
        if (offsets is not { Length: 2 } || offsets[0] > offsets[1])
            throw Bad($"'data_offsets' must be [begin, end] with 0 <= begin <= end, found {offsetsValue.GetRawText()}");

        var dims = shape.Select(d => (int)d).ToArray();
        long expectedBytes;
        try
        {
            expectedBytes = checked(SafeTensorInfo.ShapeElements(dims) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Bad($"shape {SafeTensorInfo.FormatShape(dims)} is too large");
        }
        var (begin, end) = (offsets[0], offsets[1]);
        if (end > dataLength)
            throw Bad($"data_offsets [{begin}, {end}] run past the end of the data section ({dataLength} bytes); the file is truncated or corrupt");
        if (end - begin != expectedBytes)
            throw Bad($"data_offsets [{begin}, {end}] span {end - begin} bytes, but shape {SafeTensorInfo.FormatShape(dims)} of {dtype} needs {expectedBytes}");
        return new SafeTensorInfo(name, dtype, dims, begin, end);
    }

    /// <summary>An array of integers in [0, max], or null when the value is anything else.</summary>
    private static long[]? ReadIntegers(JsonElement value, long max)
    {
        if (value.ValueKind != JsonValueKind.Array)
            return null;
        var result = new long[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var n) || n < 0 || n > max)
                return null;
            result[i++] = n;
        }
        return result;
    }

    /// <summary>The format forbids holes and overlaps (no polyglot files), and the data must end with the last tensor.</summary>
    private static void CheckTiling(string path, List<SafeTensorInfo> tensors, long dataLength)
    {
        var sorted = tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd).ToList();
        long end = 0;
        SafeTensorInfo? previous = null;
        foreach (var t in sorted)
        {
            if (t.DataBegin < end)
                throw new CheckpointException(path, $"tensors '{previous!.Name}' [{previous.DataBegin}, {previous.DataEnd}] and '{t.Name}' [{t.DataBegin}, {t.DataEnd}] overlap");
            if (t.DataBegin > end)
                throw new CheckpointException(path, previous is null
                    ? $"the data section has {t.DataBegin} unused bytes before tensor '{t.Name}'"
                    : $"the data section has {t.DataBegin - end} unused bytes between tensors '{previous.Name}' and '{t.Name}'");
            end = t.DataEnd;
            previous = t;
        }
        if (end != dataLength)
            throw new CheckpointException(path, $"the data section has {dataLength - end} bytes after the last tensor; the header does not describe the whole file");
    }
}
