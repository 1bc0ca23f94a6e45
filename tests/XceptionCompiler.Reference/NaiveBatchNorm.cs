using System.Numerics;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>
    /// Training-mode batch norm (PyTorch semantics) with the fused epilogue: per channel, mean and biased variance
    /// over (batch, spatial); saveMean = mean, saveInvStd = 1/sqrt(var + eps); running = (1 - momentum)*running +
    /// momentum*stat with the unbiased variance for runningVar; y = gamma*(x - mean)*invstd + beta (+ residual) (ReLU).
    /// </summary>
    public static void BatchNormTrainForward<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta,
        Span<T> runningMean, Span<T> runningVar, Span<T> saveMean, Span<T> saveInvStd,
        int batch, int channels, int spatial, double eps, double momentum, ReadOnlySpan<T> residual, bool reluOutput)
        where T : IFloatingPointIeee754<T>
    {
        int m = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            for (int p = 0; p < spatial; p++)
            {
                sum += D(x[(n * channels + c) * spatial + p]);
            }

            double mean = sum / m;
            double squares = 0;
            for (int n = 0; n < batch; n++)
            for (int p = 0; p < spatial; p++)
            {
                double d = D(x[(n * channels + c) * spatial + p]) - mean;
                squares += d * d;
            }

            double variance = squares / m;
            double unbiased = m > 1 ? squares / (m - 1) : 0;
            double invStd = 1 / Math.Sqrt(variance + eps);
            saveMean[c] = From<T>(mean);
            saveInvStd[c] = From<T>(invStd);
            runningMean[c] = From<T>((1 - momentum) * D(runningMean[c]) + momentum * mean);
            runningVar[c] = From<T>((1 - momentum) * D(runningVar[c]) + momentum * unbiased);
            NormalizeChannel(x, y, D(gamma[c]), D(beta[c]), mean, invStd, c, batch, channels, spatial, residual, reluOutput);
        }
    }

    /// <summary>Inference batch norm with the running statistics, same epilogue as training.</summary>
    public static void BatchNormEvalForward<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta,
        ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar, int batch, int channels, int spatial, double eps,
        ReadOnlySpan<T> residual, bool reluOutput)
        where T : IFloatingPointIeee754<T>
    {
        for (int c = 0; c < channels; c++)
        {
            double invStd = 1 / Math.Sqrt(D(runningVar[c]) + eps);
            NormalizeChannel(x, y, D(gamma[c]), D(beta[c]), D(runningMean[c]), invStd, c, batch, channels, spatial, residual, reluOutput);
        }
    }

    /// <summary>
    /// Backward of the training forward: g = dy * (reluOutput ? y &gt; 0 : 1), xhat = (x - saveMean)*saveInvStd, M = batch*spatial;
    /// dx = gamma*invstd/M * (M*g - sum(g) - xhat*sum(g*xhat)) (overwritten); dgamma += sum(g*xhat); dbeta += sum(g);
    /// dResidual (= or += per accumulateResidual) g when not empty.
    /// </summary>
    public static void BatchNormBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<T> x, ReadOnlySpan<T> gamma,
        ReadOnlySpan<T> saveMean, ReadOnlySpan<T> saveInvStd, Span<T> dx, Span<T> dgamma, Span<T> dbeta,
        int batch, int channels, int spatial, bool reluOutput, Span<T> dResidual, bool accumulateResidual)
        where T : IFloatingPointIeee754<T>
    {
        int m = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double mean = D(saveMean[c]), invStd = D(saveInvStd[c]);
            double sumG = 0, sumGXhat = 0;
            for (int n = 0; n < batch; n++)
            for (int p = 0; p < spatial; p++)
            {
                int j = (n * channels + c) * spatial + p;
                double g = !reluOutput || D(y[j]) > 0 ? D(dy[j]) : 0;
                sumG += g;
                sumGXhat += g * (D(x[j]) - mean) * invStd;
            }

            Store(dgamma, c, sumGXhat, accumulate: true);
            Store(dbeta, c, sumG, accumulate: true);
            double factor = D(gamma[c]) * invStd / m;
            for (int n = 0; n < batch; n++)
            for (int p = 0; p < spatial; p++)
            {
                int j = (n * channels + c) * spatial + p;
                double g = !reluOutput || D(y[j]) > 0 ? D(dy[j]) : 0;
                double xhat = (D(x[j]) - mean) * invStd;
                dx[j] = From<T>(factor * (m * g - sumG - xhat * sumGXhat));
                if (!dResidual.IsEmpty)
                {
                    Store(dResidual, j, g, accumulateResidual);
                }
            }
        }
    }

    private static void NormalizeChannel<T>(ReadOnlySpan<T> x, Span<T> y, double gamma, double beta, double mean, double invStd,
        int c, int batch, int channels, int spatial, ReadOnlySpan<T> residual, bool relu)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int p = 0; p < spatial; p++)
        {
            int j = (n * channels + c) * spatial + p;
            double v = gamma * (D(x[j]) - mean) * invStd + beta;
            if (!residual.IsEmpty)
            {
                v += D(residual[j]);
            }

            y[j] = From<T>(relu ? Relu(v) : v);
        }
    }
}
