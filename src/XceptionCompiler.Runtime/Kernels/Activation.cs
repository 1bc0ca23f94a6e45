using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>Standalone ReLU, for activations no neighbouring kernel absorbs as a prologue or epilogue.</summary>
public static unsafe class Activation
{
    /// <summary>y = max(x, 0).</summary>
    public static void ReluForward(float* x, float* y, long count)
    {
        var body = new ForwardBody { X = x, Y = y, Count = count };
        Workers.For(ElementChunks.Count(count), ref body);
    }

    /// <summary>dx (= or +=) dy * (y &gt; 0), the mask read from the stored output.</summary>
    public static void ReluBackward(float* dy, float* y, float* dx, long count, bool accumulate)
    {
        var body = new GradientBody { Gradient = dy, Mask = y, Destination = dx, Count = count, Accumulate = accumulate };
        Workers.For(ElementChunks.Count(count), ref body);
    }

    private struct ForwardBody : IParallelBody
    {
        public float* X, Y;
        public long Count;

        public readonly void Run(int begin, int end)
        {
            (long start, long length) = ElementChunks.Range(begin, end, Count);
            VectorRows.CopyRelu(X + start, Y + start, length, relu: true);
        }
    }
}
