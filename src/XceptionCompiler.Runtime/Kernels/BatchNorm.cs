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
            long count = (long)Batch * Spatial;
            for (int c = begin; c < end; c++)
            {
                float mean = SaveMean[c], invStd = SaveInvStd[c];
                double sumG = 0, sumGCentered = 0;
                for (int n = 0; n < Batch; n++)
                {
                    long offset = ((long)n * Channels + c) * Spatial;
                    (double g, double gc) = GradientSums(Dy + offset, Y + offset, X + offset, mean);
                    sumG += g;
                    sumGCentered += gc;
                }

                double sumGXhat = sumGCentered * invStd;
                Dgamma[c] += (float)sumGXhat;
                Dbeta[c] += (float)sumG;
                // dx = gamma*invstd * (g - sum(g)/M - xhat*sum(g*xhat)/M) = a*g + b*(x - mean) + d.
                float a = Gamma[c] * invStd;
                float b = (float)(-Gamma[c] * (double)invStd * invStd * sumGXhat / count);
                float d = (float)(-Gamma[c] * (double)invStd * sumG / count);
                for (int n = 0; n < Batch; n++)
                {
                    long offset = ((long)n * Channels + c) * Spatial;
                    InputGradient(Dy + offset, Y + offset, X + offset, Dx + offset, mean, a, b, d);
                    if (DResidual != null)
                    {
                        VectorRows.StoreGradient(Dy + offset, Relu ? Y + offset : null, DResidual + offset, Spatial, AccumulateResidual);
                    }
                }
            }
        }

        // (sum g, sum g*(x - mean)) over one plane, g = dy masked by y > 0 under ReLU.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly (double G, double GCentered) GradientSums(float* dy, float* y, float* x, float mean)
        {
            var vMean = new Vector<float>(mean);
            Vector<float> accG = Vector<float>.Zero, accGC = Vector<float>.Zero;
            int i = 0;
            for (; i <= Spatial - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> g = Masked(dy, y, i);
                accG += g;
                accGC = Vector.FusedMultiplyAdd(g, Vector.Load(x + i) - vMean, accGC);
            }

            double sumG = Vector.Sum(accG), sumGC = Vector.Sum(accGC);
            for (; i < Spatial; i++)
            {
                float g = !Relu || y[i] > 0f ? dy[i] : 0f;
                sumG += g;
                sumGC += g * (double)(x[i] - mean);
            }

            return (sumG, sumGC);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void InputGradient(float* dy, float* y, float* x, float* dx, float mean, float a, float b, float d)
        {
            Vector<float> vMean = new(mean), vA = new(a), vB = new(b), vD = new(d);
            int i = 0;
            for (; i <= Spatial - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> v = Vector.FusedMultiplyAdd(vB, Vector.Load(x + i) - vMean, vD);
                v = Vector.FusedMultiplyAdd(vA, Masked(dy, y, i), v);
                (AccumulateInput ? v + Vector.Load(dx + i) : v).Store(dx + i);
            }

            for (; i < Spatial; i++)
            {
                float g = !Relu || y[i] > 0f ? dy[i] : 0f;
                float v = MathF.FusedMultiplyAdd(a, g, MathF.FusedMultiplyAdd(b, x[i] - mean, d));
                dx[i] = AccumulateInput ? dx[i] + v : v;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private readonly Vector<float> Masked(float* dy, float* y, int i)
        {
            Vector<float> g = Vector.Load(dy + i);
            return Relu ? Vector.ConditionalSelect(Vector.GreaterThan(Vector.Load(y + i), Vector<float>.Zero), g, Vector<float>.Zero) : g;
        }
    }
}
