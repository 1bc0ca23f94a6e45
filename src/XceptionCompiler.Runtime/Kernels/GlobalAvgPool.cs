using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>Mean over each spatial plane: x [batch, C, spatial] to y [batch, C]. Planes are split across threads.</summary>
public static unsafe class GlobalAvgPool
{
    /// <summary>y[n, c] = mean of plane (n, c).</summary>
    public static void Forward(float* x, float* y, int batch, int channels, int spatial)
    {
        var body = new ForwardBody { X = x, Y = y, Spatial = spatial };
        Workers.For(batch * channels, ref body);
    }

    /// <summary>dx[n, c, :] (= or +=) dy[n, c] / spatial.</summary>
    public static void Backward(float* dy, float* dx, int batch, int channels, int spatial, bool accumulate)
    {
        var body = new BackwardBody { Dy = dy, Dx = dx, Spatial = spatial, Accumulate = accumulate };
        Workers.For(batch * channels, ref body);
    }

    private struct ForwardBody : IParallelBody
    {
        public float* X, Y;
        public int Spatial;

        public readonly void Run(int begin, int end)
        {
            for (int plane = begin; plane < end; plane++)
            {
                Y[plane] = (float)(VectorRows.Sum(X + (long)plane * Spatial, Spatial) / Spatial);
            }
        }
    }

    private struct BackwardBody : IParallelBody
    {
        public float* Dy, Dx;
        public int Spatial;
        public bool Accumulate;

        public readonly void Run(int begin, int end)
        {
            for (int plane = begin; plane < end; plane++)
            {
                VectorRows.Fill(Dy[plane] / Spatial, Dx + (long)plane * Spatial, Spatial, Accumulate);
            }
        }
    }
}
