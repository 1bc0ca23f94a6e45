using System.Buffers.Binary;
using System.Text;

namespace XceptionCompiler.Runtime.Tests.Checkpoints;

/// <summary>Builds safetensors bytes by hand (any header text, any data), for files our writer would never produce.</summary>
internal static class RawSafeTensors
{
    /// <summary>8-byte length + header text + data, with an optional override of the length field.</summary>
    public static byte[] Build(string header, byte[] data, ulong? declaredLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    /// <summary>One header entry as JSON.</summary>
    public static string Entry(string name, string dtype, int[] shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{end}]}}";

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static string WriteFile(TestDirectory dir, string header, byte[] data, ulong? declaredLength = null)
    {
        var path = dir.File($"raw-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, Build(header, data, declaredLength));
        return path;
    }
}
