using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// A safetensors file opened for reading. Opening reads and validates only the header; each tensor's bytes are read
/// when asked for, straight into the caller's buffer for F32, so a 90 MB checkpoint costs one pass over its data.
/// Every error is a <see cref="CheckpointException"/> naming the file (and the tensor, where there is one).
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    private SafeTensorsFile(string path, SafeFileHandle handle, long dataStart, SafeTensorsHeader header)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
        Tensors = header.Tensors;
        Metadata = header.Metadata;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates a safetensors file.</summary>
    public static SafeTensorsFile Open(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot open the file ({e.Message})", e);
        }
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
                throw new CheckpointException(path, $"the file is {fileLength} bytes long; a safetensors file starts with an 8-byte header length");
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(path, handle, prefix, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(fileLength - 8))
                throw new CheckpointException(path, $"the header length {headerLength} runs past the end of the file ({fileLength} bytes); the file is truncated or not safetensors");
            if (headerLength > SafeTensorsHeader.MaxLength)
                throw new CheckpointException(path, $"the header length {headerLength} exceeds the {SafeTensorsHeader.MaxLength}-byte limit");
            var json = new byte[headerLength];
            ReadExactly(path, handle, json, 8);
            var dataStart = 8 + (long)headerLength;
            var header = SafeTensorsHeader.Parse(path, json, fileLength - dataStart);
            return new SafeTensorsFile(path, handle, dataStart, header);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>True when the file holds a tensor of this name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of a tensor.</summary>
    public SafeTensorInfo GetInfo(string name) =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new CheckpointException(Path, $"no tensor '{name}' (the file has {Tensors.Count}: {Preview(Tensors.Select(t => t.Name))})");

    /// <summary>Reads a floating-point tensor as float32, with its shape.</summary>
    public SafeTensor Read(string name) => new(name, GetInfo(name).Shape, ReadFloats(name));

    /// <summary>Reads a floating-point tensor as a new float array.</summary>
    public float[] ReadFloats(string name)
    {
        var result = new float[CheckedLength(GetInfo(name))];
        ReadFloats(name, result);
        return result;
    }

    /// <summary>Reads a floating-point tensor into <paramref name="destination"/>, whose length must equal the element count.</summary>
    public void ReadFloats(string name, Span<float> destination)
    {
        var info = GetInfo(name);
        if (!info.DType.IsFloat())
            throw new CheckpointException(Path, $"tensor '{name}' has dtype {info.DType}, not a floating-point type");
        if (destination.Length != info.ElementCount)
            throw new CheckpointException(Path, $"tensor '{name}' has {info.ElementCount} elements {info.ShapeText}, but the destination holds {destination.Length}");
        if (info.DType == SafeTensorsDType.F32 && BitConverter.IsLittleEndian)
        {
            ReadRaw(info, MemoryMarshal.AsBytes(destination));
            return;
        }
        var bytes = ArrayPool<byte>.Shared.Rent((int)(info.DataEnd - info.DataBegin));
        try
        {
            var span = bytes.AsSpan(0, (int)(info.DataEnd - info.DataBegin));
            ReadRaw(info, span);
            info.DType.DecodeFloats(span, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Reads an I64 tensor (PyTorch's <c>num_batches_tracked</c> is one).</summary>
    public long[] ReadInt64(string name)
    {
        var info = ReadIntegerInfo(name, SafeTensorsDType.I64);
        var result = new long[CheckedLength(info)];
        ReadRaw(info, MemoryMarshal.AsBytes(result.AsSpan()));
        if (!BitConverter.IsLittleEndian)
            BinaryPrimitives.ReverseEndianness(result, result);
        return result;
    }

    /// <summary>Reads an I32 tensor.</summary>
    public int[] ReadInt32(string name)
    {
        var info = ReadIntegerInfo(name, SafeTensorsDType.I32);
        var result = new int[CheckedLength(info)];
        ReadRaw(info, MemoryMarshal.AsBytes(result.AsSpan()));
        if (!BitConverter.IsLittleEndian)
            BinaryPrimitives.ReverseEndianness(result, result);
        return result;
    }

    public void Dispose() => _handle.Dispose();

    private SafeTensorInfo ReadIntegerInfo(string name, SafeTensorsDType expected)
    {
        var info = GetInfo(name);
        return info.DType == expected
            ? info
            : throw new CheckpointException(Path, $"tensor '{name}' has dtype {info.DType}, not {expected}");
    }

    private void ReadRaw(SafeTensorInfo info, Span<byte> destination) =>
        ReadExactly(Path, _handle, destination, _dataStart + info.DataBegin);

    private int CheckedLength(SafeTensorInfo info) =>
        info.ElementCount <= Array.MaxLength
            ? (int)info.ElementCount
            : throw new CheckpointException(Path, $"tensor '{info.Name}' {info.ShapeText} is too large for one array");

    /// <summary>The file can shrink after the header was validated (another process rewriting it): say so instead of returning zeros.</summary>
    private static void ReadExactly(string path, SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
                throw new CheckpointException(path, $"the file ended at byte {offset} while reading; it was truncated or changed while open");
            destination = destination[read..];
            offset += read;
        }
    }

    /// <summary>The first few names, for messages.</summary>
    internal static string Preview(IEnumerable<string> names, int count = 5)
    {
        var list = names.Take(count + 1).Select(n => $"'{n}'").ToList();
        return list.Count > count ? string.Join(", ", list.Take(count)) + ", ..." : string.Join(", ", list);
    }
}
