using System.Numerics;
using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Batch normalization over (batch, spatial) per channel with PyTorch semantics, with the block epilogue fused:
/// y = gamma * (x - mean) * invstd + beta, then + residual, then ReLU. Channels are split across threads and each
/// channel's statistics are summed by one thread in a fixed order, so results do not depend on the thread count.
/// </summary>
public static unsafe class BatchNorm
{
    /// <summary>
    /// Training forward: batch mean and biased variance per channel (saved as mean and 1/sqrt(var + eps));
    /// running statistics move by <paramref name="momentum"/>, the running variance with the unbiased variance.
    /// </summary>
    public static void TrainForward(float* x, float* y, float* gamma, float* beta, float* runningMean, float* runningVar,
        float* saveMean, float* saveInvStd, int batch, int channels, int spatial, float eps, float momentum,
        float* residual, bool reluOutput)
    {
        var body = new ForwardBody
        {
            X = x, Y = y, Gamma = gamma, Beta = beta, RunningMean = runningMean, RunningVar = runningVar,
            SaveMean = saveMean, SaveInvStd = saveInvStd, Batch = batch, Channels = channels, Spatial = spatial,
            Eps = eps, Momentum = momentum, Residual = residual, Relu = reluOutput, Training = true,
        };
        Workers.For(channels, ref body);
    }

    /// <summary>
    /// Training forward of a batch norm folded into its consumer's prologue: the statistics and running statistics
    /// of <see cref="TrainForward"/>, and the per-channel <paramref name="scale"/> and <paramref name="shift"/> its
    /// normalisation would apply (y = FMA(x, scale, shift)), instead of y itself.
    /// </summary>
    public static void TrainStatistics(float* x, float* gamma, float* beta, float* runningMean, float* runningVar,
        float* saveMean, float* saveInvStd, float* scale, float* shift, int batch, int channels, int spatial, float eps, float momentum)
    {
        var body = new ForwardBody
        {
            X = x, Gamma = gamma, Beta = beta, RunningMean = runningMean, RunningVar = runningVar,
            SaveMean = saveMean, SaveInvStd = saveInvStd, Scale = scale, Shift = shift, Batch = batch, Channels = channels,
            Spatial = spatial, Eps = eps, Momentum = momentum, Training = true,
        };
        Workers.For(channels, ref body);
    }

    /// <summary>Inference counterpart of <see cref="TrainStatistics"/>: scale and shift from the running statistics.</summary>
    public static void EvalAffine(float* gamma, float* beta, float* runningMean, float* runningVar, float* scale, float* shift, int channels, float eps)
    {
        var body = new ForwardBody
        {
            Gamma = gamma, Beta = beta, RunningMean = runningMean, RunningVar = runningVar, Scale = scale, Shift = shift,
            Channels = channels, Eps = eps,
        };
        // A few floats per channel: not worth waking the workers.
        body.Run(0, channels);
    }

    /// <summary>Inference forward with the running statistics.</summary>
    public static void EvalForward(float* x, float* y, float* gamma, float* beta, float* runningMean, float* runningVar,
        int batch, int channels, int spatial, float eps, float* residual, bool reluOutput)
    {
        var body = new ForwardBody
        {
            X = x, Y = y, Gamma = gamma, Beta = beta, RunningMean = runningMean, RunningVar = runningVar,
            Batch = batch, Channels = channels, Spatial = spatial, Eps = eps, Residual = residual, Relu = reluOutput,
        };
        Workers.For(channels, ref body);
    }

    /// <summary>
    /// Backward of <see cref="TrainForward"/>: g = dy * (reluOutput ? y &gt; 0 : 1);
    /// dx = gamma*invstd/M * (M*g - sum(g) - xhat*sum(g*xhat)) (= or += per <paramref name="accumulateInput"/>),
    /// dgamma += sum(g*xhat), dbeta += sum(g), and dResidual (= or += per <paramref name="accumulateResidual"/>) g
    /// when not null. dy is not modified. A batch norm fused after a conv overwrites its private input gradient; a
    /// standalone one may share its input with other readers, so it accumulates after the first.
    /// </summary>
    public static void Backward(float* dy, float* y, float* x, float* gamma, float* saveMean, float* saveInvStd,
        float* dx, float* dgamma, float* dbeta, int batch, int channels, int spatial, bool reluOutput,
        float* dResidual, bool accumulateResidual, bool accumulateInput = false)
    {
        var body = new BackwardBody
        {
            Dy = dy, Y = y, X = x, Gamma = gamma, SaveMean = saveMean, SaveInvStd = saveInvStd, Dx = dx,
            Dgamma = dgamma, Dbeta = dbeta, Batch = batch, Channels = channels, Spatial = spatial, Relu = reluOutput,
            DResidual = dResidual, AccumulateResidual = accumulateResidual, AccumulateInput = accumulateInput,
        };
        Workers.For(channels, ref body);
    }

    /// <summary>
    /// Channel <paramref name="c"/>'s part of <see cref="Backward"/> (without the residual's gradient): its sums over
    /// the batch, dgamma and dbeta, then dx plane by plane. g = dy masked by y &gt; 0 unless <paramref name="y"/> is null.
    /// </summary>
    internal static void ChannelBackward(float* dy, float* y, float* x, float* gamma, float* saveMean, float* saveInvStd,
        float* dx, float* dgamma, float* dbeta, int batch, int channels, int spatial, int c, bool accumulateInput)
    {
        long count = (long)batch * spatial;
        float mean = saveMean[c], invStd = saveInvStd[c];
        (double sumG, double sumGCentered) = ChannelGradientSums(dy, y, x, mean, batch, channels, spatial, c);
        double sumGXhat = sumGCentered * invStd;
        dgamma[c] += (float)sumGXhat;
        dbeta[c] += (float)sumG;
        // dx = gamma*invstd * (g - sum(g)/M - xhat*sum(g*xhat)/M) = a*g + b*(x - mean) + d.
        float a = gamma[c] * invStd;
        float b = (float)(-gamma[c] * (double)invStd * invStd * sumGXhat / count);
        float d = (float)(-gamma[c] * (double)invStd * sumG / count);
        for (int n = 0; n < batch; n++)
        {
            long offset = ((long)n * channels + c) * spatial;
            InputGradient(dy + offset, y == null ? null : y + offset, x + offset, dx + offset, spatial, mean, a, b, d, accumulateInput);
        }
    }

    // Channel c's (sum g, sum g*(x - mean)) over the batch: image after image, each plane's sums added in double.
    private static (double G, double GCentered) ChannelGradientSums(float* dy, float* y, float* x, float mean, int batch, int channels, int spatial, int c)
    {
        double sumG = 0, sumGCentered = 0;
        for (int n = 0; n < batch; n++)
        {
            long offset = ((long)n * channels + c) * spatial;
            (double g, double gc) = PlaneGradientSums(dy + offset, y == null ? null : y + offset, x + offset, mean, spatial);
            sumG += g;
            sumGCentered += gc;
        }

        return (sumG, sumGCentered);
    }

    // (sum g, sum g*(x - mean)) over one plane, g = dy masked by y > 0 when y is not null. Four vectors at a time into
    // four pairs of sums: one pair's additions wait on each other, so a single pair runs at the adder's latency.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double G, double GCentered) PlaneGradientSums(float* dy, float* y, float* x, float mean, int spatial)
    {
        int width = Vector<float>.Count;
        var vMean = new Vector<float>(mean);
        Vector<float> g0 = default, g1 = default, g2 = default, g3 = default;
        Vector<float> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i <= spatial - (4 * width); i += 4 * width)
        {
            Vector<float> a0 = Gradient(dy, y, i), a1 = Gradient(dy, y, i + width), a2 = Gradient(dy, y, i + (2 * width)), a3 = Gradient(dy, y, i + (3 * width));
            g0 += a0;
            g1 += a1;
            g2 += a2;
            g3 += a3;
            c0 = Vector.FusedMultiplyAdd(a0, Vector.Load(x + i) - vMean, c0);
            c1 = Vector.FusedMultiplyAdd(a1, Vector.Load(x + i + width) - vMean, c1);
            c2 = Vector.FusedMultiplyAdd(a2, Vector.Load(x + i + (2 * width)) - vMean, c2);
            c3 = Vector.FusedMultiplyAdd(a3, Vector.Load(x + i + (3 * width)) - vMean, c3);
        }

        for (; i <= spatial - width; i += width)
        {
            Vector<float> a = Gradient(dy, y, i);
            g0 += a;
            c0 = Vector.FusedMultiplyAdd(a, Vector.Load(x + i) - vMean, c0);
        }

        return PlaneGradientSumsScalar(dy, y, x, mean, i, spatial, Vector.Sum((g0 + g1) + (g2 + g3)), Vector.Sum((c0 + c1) + (c2 + c3)));
    }

    // The sums from element i on, one at a time, added to sumG and sumGC.
    private static (double G, double GCentered) PlaneGradientSumsScalar(float* dy, float* y, float* x, float mean, int i, int spatial, double sumG, double sumGC)
    {
        for (; i < spatial; i++)
        {
            float g = y == null || y[i] > 0f ? dy[i] : 0f;
            sumG += g;
            sumGC += g * (double)(x[i] - mean);
        }

        return (sumG, sumGC);
    }

    // dy[i ..] masked by y > 0 when y is not null.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Gradient(float* dy, float* y, int i)
    {
        Vector<float> g = Vector.Load(dy + i);
        return y == null ? g : Vector.ConditionalSelect(Vector.GreaterThan(Vector.Load(y + i), Vector<float>.Zero), g, Vector<float>.Zero);
    }

    private struct ForwardBody : IParallelBody
    {
        // Y is null when the normalisation is folded into the consumer: then Scale and Shift receive its coefficients.
        public float* X, Y, Gamma, Beta, RunningMean, RunningVar, SaveMean, SaveInvStd, Residual, Scale, Shift;
        public int Batch, Channels, Spatial;
        public float Eps, Momentum;
        public bool Relu, Training;

        public readonly void Run(int begin, int end)
        {
            long count = (long)Batch * Spatial;
            for (int c = begin; c < end; c++)
            {
                float mean, invStd;
                if (Training)
                {
                    double sum = 0;
                    for (int n = 0; n < Batch; n++)
                    {
                        sum += VectorRows.Sum(Plane(X, n, c), Spatial);
                    }

                    mean = (float)(sum / count);
                    double squares = 0;
                    for (int n = 0; n < Batch; n++)
                    {
                        squares += VectorRows.SumSquaredDeviation(Plane(X, n, c), mean, Spatial);
                    }

                    double variance = squares / count;
                    invStd = (float)(1.0 / Math.Sqrt(variance + Eps));
                    SaveMean[c] = mean;
                    SaveInvStd[c] = invStd;
                    // PyTorch tracks the unbiased variance; with a single value per channel there is none, keep 0.
                    double unbiased = count > 1 ? squares / (count - 1) : 0.0;
                    RunningMean[c] = (1 - Momentum) * RunningMean[c] + Momentum * mean;
                    RunningVar[c] = (float)((1 - Momentum) * RunningVar[c] + Momentum * unbiased);
                }
                else
                {
                    mean = RunningMean[c];
                    invStd = (float)(1.0 / Math.Sqrt(RunningVar[c] + (double)Eps));
                }

                float scale = Gamma[c] * invStd;
                float shift = Beta[c] - mean * scale;
                if (Y == null)
                {
                    Scale[c] = scale;
                    Shift[c] = shift;
                    continue;
                }

                for (int n = 0; n < Batch; n++)
                {
                    VectorRows.AffineRelu(Plane(X, n, c), Plane(Y, n, c), Spatial, Relu, affine: true, scale, shift, Residual == null ? null : Plane(Residual, n, c));
                }
            }
        }

        private readonly float* Plane(float* tensor, int n, int c) => tensor + ((long)n * Channels + c) * Spatial;
    }

    private struct BackwardBody : IParallelBody
    {
        public float* Dy, Y, X, Gamma, SaveMean, SaveInvStd, Dx, Dgamma, Dbeta, DResidual;
        public int Batch, Channels, Spatial;
        public bool Relu, AccumulateResidual, AccumulateInput;

        public readonly void Run(int begin, int end)
        {
            for (int c = begin; c < end; c++)
            {
                ChannelBackward(Dy, Relu ? Y : null, X, Gamma, SaveMean, SaveInvStd, Dx, Dgamma, Dbeta, Batch, Channels, Spatial, c, AccumulateInput);
                if (DResidual != null)
                {
                    for (int n = 0; n < Batch; n++)
                    {
                        long offset = ((long)n * Channels + c) * Spatial;
                        VectorRows.StoreGradient(Dy + offset, Relu ? Y + offset : null, DResidual + offset, Spatial, AccumulateResidual);
                    }
                }
            }
        }
    }

    // dx (= or +=) a*g + b*(x - mean) + d over one plane, g = dy masked by y > 0 when y is not null.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputGradient(float* dy, float* y, float* x, float* dx, int spatial, float mean, float a, float b, float d, bool accumulate)
    {
        Vector<float> vMean = new(mean), vA = new(a), vB = new(b), vD = new(d);
        int i = 0;
        for (; i <= spatial - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> g = Vector.Load(dy + i);
            if (y != null)
            {
                g = Vector.ConditionalSelect(Vector.GreaterThan(Vector.Load(y + i), Vector<float>.Zero), g, Vector<float>.Zero);
            }

            Vector<float> v = Vector.FusedMultiplyAdd(vB, Vector.Load(x + i) - vMean, vD);
            v = Vector.FusedMultiplyAdd(vA, g, v);
            (accumulate ? v + Vector.Load(dx + i) : v).Store(dx + i);
        }

        for (; i < spatial; i++)
        {
            float g = y == null || y[i] > 0f ? dy[i] : 0f;
            float v = MathF.FusedMultiplyAdd(a, g, MathF.FusedMultiplyAdd(b, x[i] - mean, d));
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}
