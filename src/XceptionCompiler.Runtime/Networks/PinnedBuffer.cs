using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// A float array on the pinned object heap with a stable pointer, so generated code and kernels can
/// address it directly for the life of the network without fixed blocks.
/// </summary>
public sealed unsafe class PinnedBuffer
{
    public PinnedBuffer(long length)
    {
        if (length < 0 || length > System.Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"a buffer of {length} floats is larger than .NET arrays allow ({System.Array.MaxLength}); lower the maximum batch");
        }

        Array = GC.AllocateArray<float>((int)Math.Max(length, 1), pinned: true);
        Length = length;
        Pointer = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Array));
    }

    /// <summary>The managed array (at least one element long, so the pointer is always valid).</summary>
    public float[] Array { get; }

    /// <summary>Floats requested.</summary>
    public long Length { get; }

    /// <summary>Address of element 0; valid while this object lives.</summary>
    public float* Pointer { get; }
}
