using System.Runtime.InteropServices;

namespace XceptionCompiler.Runtime.Threading;

/// <summary>Which per-thread scratch buffer a kernel asks for; a kernel may hold several at once.</summary>
public enum ScratchBuffer
{
    /// <summary>Packed panels of a GEMM's left operand.</summary>
    PackA,
    /// <summary>Packed panels of a GEMM's right operand.</summary>
    PackB,
    /// <summary>A first image plane (e.g. a zero-padded input).</summary>
    Plane0,
    /// <summary>A second image plane (e.g. a gradient laid out on the padded grid).</summary>
    Plane1,
    /// <summary>A third image plane (e.g. an output before it is cropped).</summary>
    Plane2,
    /// <summary>Column masks of a depthwise convolution on planes as stored (<see cref="Kernels.SamePlane"/>).</summary>
    Masks,
}

/// <summary>
/// Per-thread, 64-byte-aligned native scratch memory that grows on demand and is reused across calls, so kernels
/// running on the pool allocate nothing in steady state. The memory is freed when its thread ends.
/// </summary>
public sealed unsafe class ThreadScratch
{
    private const nuint Alignment = 64;

    [ThreadStatic]
    private static ThreadScratch? t_current;

    private readonly void*[] _buffers = new void*[Enum.GetValues<ScratchBuffer>().Length];
    private readonly long[] _capacities = new long[Enum.GetValues<ScratchBuffer>().Length];

    private ThreadScratch()
    {
    }

    /// <summary>
    /// Returns at least <paramref name="floats"/> floats of this thread's <paramref name="buffer"/>. Contents are
    /// unspecified; the pointer stays valid until this thread asks for the same buffer again with a larger size.
    /// </summary>
    public static float* Get(ScratchBuffer buffer, long floats)
    {
        ThreadScratch scratch = t_current ??= new ThreadScratch();
        int slot = (int)buffer;
        if (scratch._capacities[slot] < floats)
        {
            NativeMemory.AlignedFree(scratch._buffers[slot]);
            scratch._buffers[slot] = null;
            scratch._capacities[slot] = 0;
            scratch._buffers[slot] = NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), Alignment);
            scratch._capacities[slot] = floats;
        }

        return (float*)scratch._buffers[slot];
    }

    // The thread-static reference dies with its thread; release the native memory then.
    ~ThreadScratch()
    {
        foreach (void* buffer in _buffers)
        {
            NativeMemory.AlignedFree(buffer);
        }
    }
}
