using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>Flat elementwise kernels: residual adds and gradient copies.</summary>
public static unsafe class Elementwise
{
    /// <summary>y = a + b.</summary>
    public static void Add(float* a, float* b, float* y, long count)
    {
        var body = new AddBody { A = a, B = b, Y = y, Count = count };
        Workers.For(ElementChunks.Count(count), ref body);
    }

    /// <summary>dst (= or +=) src, e.g. the gradient of a residual add flowing into both branches.</summary>
    public static void Copy(float* src, float* dst, long count, bool accumulate)
    {
        var body = new GradientBody { Gradient = src, Mask = null, Destination = dst, Count = count, Accumulate = accumulate };
        Workers.For(ElementChunks.Count(count), ref body);
    }

    private struct AddBody : IParallelBody
    {
        public float* A, B, Y;
        public long Count;

        public readonly void Run(int begin, int end)
        {
            (long start, long length) = ElementChunks.Range(begin, end, Count);
            VectorRows.Add(A + start, B + start, Y + start, length);
        }
    }
}
