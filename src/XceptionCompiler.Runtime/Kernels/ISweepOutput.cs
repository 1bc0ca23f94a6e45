using System.Numerics;
using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Where <see cref="SamePlane.Correlate{TOutput}"/> puts a run of outputs: one step (two vectors) at a time, in order.
/// The sweep is generic over it, so each destination gets its own compiled loop.
/// </summary>
internal interface ISweepOutput
{
    /// <summary>Writes the next two vectors of the run.</summary>
    void Write(Vector<float> first, Vector<float> second);

    /// <summary>Writes the run's last step, of which only the first <paramref name="count"/> floats belong to it.</summary>
    void WriteLast(Vector<float> first, Vector<float> second, int count);
}

/// <summary>Consecutive floats from a pointer on; the last step is written whole (a scratch run rounds up to steps).</summary>
internal unsafe struct ContiguousOutput(float* at) : ISweepOutput
{
    private float* at = at;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(Vector<float> first, Vector<float> second)
    {
        first.Store(at);
        second.Store(at + Vector<float>.Count);
        at += 2 * Vector<float>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteLast(Vector<float> first, Vector<float> second, int count) => Write(first, second);
}
