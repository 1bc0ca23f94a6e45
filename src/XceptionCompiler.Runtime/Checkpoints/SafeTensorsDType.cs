using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>The safetensors element types this runtime reads. Names are the header's <c>dtype</c> strings.</summary>
public enum SafeTensorsDType
{
    F32,
    F64,
    F16,
    BF16,
    I64,
    I32,
}

/// <summary>Names, sizes and float decoding of <see cref="SafeTensorsDType"/>. Data is little-endian, as the format says.</summary>
public static class SafeTensorsDTypes
{
    private static readonly SafeTensorsDType[] All = Enum.GetValues<SafeTensorsDType>();

    /// <summary>The header names accepted, for error messages.</summary>
    public static string Supported { get; } = string.Join(", ", All);

    /// <summary>Parses a header <c>dtype</c> string exactly (case-sensitive, no numbers, as the reference implementation).</summary>
    public static bool TryParse(string? text, out SafeTensorsDType dtype)
    {
        foreach (var candidate in All)
        {
            if (candidate.ToString() == text)
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>True for the floating-point types, which convert to float.</summary>
    public static bool IsFloat(this SafeTensorsDType dtype) => dtype is not (SafeTensorsDType.I64 or SafeTensorsDType.I32);

    /// <summary>Converts little-endian elements to float: F64 rounds to nearest, F16 and BF16 widen exactly.</summary>
    public static void DecodeFloats(this SafeTensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        var size = dtype.ElementSize();
        if (!dtype.IsFloat() || source.Length != (long)destination.Length * size)
            throw new ArgumentException($"cannot decode {source.Length} bytes of {dtype} into {destination.Length} floats");
        switch (dtype)
        {
            case SafeTensorsDType.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafeTensorsDType.F32:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                break;
            case SafeTensorsDType.F64:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(i * 8)..]);
                break;
            case SafeTensorsDType.F16:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(i * 2)..]);
                break;
            default:
                // bfloat16 is the upper half of a float32.
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]) << 16);
                break;
        }
    }
}
