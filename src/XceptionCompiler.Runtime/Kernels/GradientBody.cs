using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Parallel body for a flat gradient store, destination (= or +=) gradient masked by mask &gt; 0 when the mask is
/// not null: shared by <see cref="Activation.ReluBackward"/> and <see cref="Elementwise.Copy"/>.
/// </summary>
internal unsafe struct GradientBody : IParallelBody
{
    public float* Gradient, Mask, Destination;
    public long Count;
    public bool Accumulate;

    public readonly void Run(int begin, int end)
    {
        (long start, long length) = ElementChunks.Range(begin, end, Count);
        VectorRows.StoreGradient(Gradient + start, Mask == null ? null : Mask + start, Destination + start, length, Accumulate);
    }
}
