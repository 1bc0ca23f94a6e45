using System.Buffers.Binary;
using System.IO.Compression;

namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// An unsigned-byte IDX file (the MNIST format): a 4-byte magic (0, 0, type 0x08, number of dimensions), one
/// big-endian int32 per dimension, then the data. Read whole, gzipped or not, with every size checked.
/// </summary>
public sealed record IdxFile(string Path, int[] Dimensions, byte[] Data)
{
    /// <summary>0x00000803: unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 2051;

    /// <summary>0x00000801: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 2049;

    /// <summary>Reads <paramref name="path"/>; a name ending in .gz is decompressed on the way.</summary>
    public static IdxFile Read(string path, int expectedMagic)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionMode.Decompress)
                : file;
            return Read(path, stream, expectedMagic);
        }
        catch (InvalidDataException e)
        {
            throw new DataException(path, $"is not a valid gzip file ({e.Message})", e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new DataException(path, $"cannot be read ({e.Message})", e);
        }
    }

    private static IdxFile Read(string path, Stream stream, int expectedMagic)
    {
        Span<byte> word = stackalloc byte[4];
        var got = stream.ReadAtLeast(word, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new DataException(path, $"is {got} bytes long, too short for an IDX header");
        var magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
            throw new DataException(path, $"magic number is {magic} (0x{magic:X8}), expected {expectedMagic} (0x{expectedMagic:X8}): not an IDX {(expectedMagic == ImagesMagic ? "images" : "labels")} file, or corrupt");

        var dims = new int[magic & 0xFF];
        long expected = 1;
        for (var d = 0; d < dims.Length; d++)
        {
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
                throw new DataException(path, $"the header ends inside dimension {d} of {dims.Length}");
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[d] < 0)
                throw new DataException(path, $"dimension {d} is negative ({dims[d]})");
            expected *= dims[d];
        }
        var header = 4 + 4 * dims.Length;
        var what = dims.Length == 3 ? $"bytes of pixels ({dims[0]} images of {dims[1]}x{dims[2]})" : $"bytes of labels ({dims[0]} labels)";
        if (expected > Array.MaxLength)
            throw new DataException(path, $"declares {expected} {what}, more than fits in memory: the header is corrupt");

        var data = new byte[expected];
        var found = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (found < data.Length)
            throw new DataException(path, $"expected {expected} {what} after the {header}-byte header, found {found}: the file is truncated or corrupt");
        long extra = 0;
        var sink = new byte[4096];
        for (int n; (n = stream.Read(sink)) > 0;)
            extra += n;
        if (extra > 0)
            throw new DataException(path, $"expected {expected} {what} after the {header}-byte header, found {expected + extra} ({extra} too many): the file is corrupt or the header is wrong");
        return new IdxFile(path, dims, data);
    }
}
