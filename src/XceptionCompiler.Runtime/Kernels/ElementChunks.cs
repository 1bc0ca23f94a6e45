namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Splits a flat element range into fixed-size chunks for <see cref="Threading.Workers.For{TBody}"/>: the chunk
/// size does not depend on the thread count, so elementwise kernels give identical results for any thread count.
/// </summary>
internal static class ElementChunks
{
    // 64 KiB of floats: large enough to amortise a parallel call, small enough to balance two threads on small tensors.
    private const long Size = 1 << 14;

    /// <summary>Number of chunks covering <paramref name="count"/> elements.</summary>
    public static int Count(long count) => (int)((count + Size - 1) / Size);

    /// <summary>The elements of chunks [begin, end).</summary>
    public static (long Start, long Length) Range(int begin, int end, long count)
    {
        long start = begin * Size;
        return (start, Math.Min(count, end * Size) - start);
    }
}
