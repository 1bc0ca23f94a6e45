using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// Writes float32 tensors as safetensors: 8-byte little-endian header length, a JSON header (metadata first, then the
/// tensors in the order given, their data back to back), padded with spaces to a multiple of 8 bytes as the reference
/// implementation does so the data stays aligned.
/// </summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes a file atomically (see <see cref="AtomicFile"/>).</summary>
    public static void WriteFile(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = BuildHeader(list, metadata);
        AtomicFile.Write(path, stream => WriteTo(stream, header, list));
    }

    /// <summary>Writes safetensors bytes to a stream.</summary>
    public static void Write(Stream stream, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        WriteTo(stream, BuildHeader(list, metadata), list);
    }

    /// <summary>Validates every tensor before a byte is written, so a bad argument never leaves half a file.</summary>
    private static byte[] BuildHeader(List<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps non-ASCII names readable; the header is JSON, never HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                if (t.Name == "__metadata__" || !names.Add(t.Name))
                    throw new ArgumentException($"tensor name '{t.Name}' is reserved or used twice", nameof(tensors));
                if (t.Shape.Any(d => d < 0) || SafeTensorInfo.ShapeElements(t.Shape) != t.Data.Length)
                    throw new ArgumentException($"tensor '{t.Name}' has shape {t.ShapeText} but {t.Data.Length} values", nameof(tensors));
                var bytes = (long)t.Data.Length * sizeof(float);
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", nameof(SafeTensorsDType.F32));
                json.WriteStartArray("shape");
                foreach (var d in t.Shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        var padding = (int)((8 - buffer.Length % 8) % 8);
        buffer.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        return buffer.ToArray();
    }

    private static void WriteTo(Stream stream, byte[] header, List<SafeTensor> tensors)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var t in tensors)
            WriteFloats(stream, t.Data.Span);
        stream.Flush();
    }

    private static void WriteFloats(Stream stream, ReadOnlySpan<float> data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data));
            return;
        }
        Span<byte> one = stackalloc byte[4];
        foreach (var x in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(one, x);
            stream.Write(one);
        }
    }
}
