using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Batch normalization on the GPU with the semantics of the CPU <see cref="Runtime.Kernels.BatchNorm"/>, in passes:
/// <list type="bullet">
/// <item>TrainForward = <see cref="StatisticsPartials"/>, <see cref="Statistics"/>, <see cref="Apply"/>;</item>
/// <item>TrainStatistics (folded) = <see cref="StatisticsPartials"/>, <see cref="Statistics"/>;</item>
/// <item>EvalForward = <see cref="EvalAffine"/>, <see cref="Apply"/>; EvalAffine = <see cref="EvalAffine"/>;</item>
/// <item>Backward = <see cref="BackwardPartials"/>, <see cref="BackwardSums"/>, <see cref="BackwardApply"/>.</item>
/// </list>
/// Every normalisation is y = x*scale + shift with the per-channel scale = gamma/std and shift = beta - mean*scale,
/// as on the CPU, so the training forward writes scale and shift too (to a scratch slice when not folded).
/// The partials buffer holds <see cref="BatchNormPartition.PartialsLength"/> floats, the coefficients buffer
/// 3 * channels; both are scratch that only lives between the passes of one operation.
/// </summary>
public static class GpuBatchNorm
{
    /// <summary>
    /// Pass 1 of the statistics: one group per (channel, part of its spatial extent) writes the part's mean and sum of
    /// squared deviations, summed in double around the part's first value (so large means do not cancel), to
    /// partials[2 * (c * parts + part) + 0, 1].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StatisticsPartials(ArrayView<float> x, ArrayView<float> partials, int n, int channels, int spatial)
    {
        var part = new PartLayout(channels, spatial);
        int c = Grid.IdxX / part.Parts;
        double shift = x[c * spatial + part.Begin];
        double sum = 0, squares = 0;
        if (part.Image < part.ImagesAtOnce)
        {
            for (int image = part.Image; image < n; image += part.ImagesAtOnce)
            {
                int plane = (image * channels + c) * spatial;
                for (int p = part.First; p < part.End; p += part.Stride)
                {
                    double d = x[plane + p] - shift;
                    sum += d;
                    squares += d * d;
                }
            }
        }

        (sum, squares) = GroupSum.Pair(sum, squares);
        if (Group.IdxX == 0)
        {
            double count = (double)n * (part.End - part.Begin);
            partials[2 * Grid.IdxX] = (float)(shift + sum / count);
            partials[2 * Grid.IdxX + 1] = (float)Math.Max(squares - sum * sum / count, 0.0);
        }
    }

    /// <summary>
    /// The configuration of <see cref="StatisticsPartials"/> and <see cref="BackwardPartials"/>: one group per
    /// (channel, part), of 256 threads, or fewer whole warps when a part has fewer values (one image of 5x5).
    /// </summary>
    public static KernelConfig StatisticsPartialsConfig(int n, int channels, int spatial)
    {
        long values = (long)n * BatchNormPartition.Chunk(channels, spatial);
        int threads = (int)Math.Clamp((values + 31) / 32 * 32, 32, BatchNormPartition.GroupSize);
        return new(channels * BatchNormPartition.Parts(channels, spatial), threads);
    }

    /// <summary>
    /// Pass 2 of the statistics, one thread per channel: combines the parts (Chan et al.) into the batch mean and the
    /// biased variance, writes savedMean and savedInvStd = 1/sqrt(var + eps), moves the running mean and (unbiased)
    /// running variance by <paramref name="momentum"/>, and writes scale = gamma*invStd and shift = beta - mean*scale.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Statistics(ArrayView<float> partials, ArrayView<float> gamma, ArrayView<float> beta,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> savedMean, ArrayView<float> savedInvStd,
        ArrayView<float> scale, ArrayView<float> shift, int n, int channels, int spatial, float eps, float momentum)
    {
        int c = Grid.IdxX * Group.DimX + Group.IdxX;
        if (c >= channels)
        {
            return;
        }

        int parts = BatchNormPartition.Parts(channels, spatial);
        int chunk = BatchNormPartition.Chunk(channels, spatial);
        double count = (double)n * spatial;
        double weightedMeans = 0;
        for (int j = 0; j < parts; j++)
        {
            weightedMeans += PartCount(n, spatial, chunk, j) * (double)partials[2 * (c * parts + j)];
        }

        double exactMean = weightedMeans / count;
        double squares = 0;
        for (int j = 0; j < parts; j++)
        {
            double d = partials[2 * (c * parts + j)] - exactMean;
            squares += partials[2 * (c * parts + j) + 1] + PartCount(n, spatial, chunk, j) * d * d;
        }

        // The CPU sums squared deviations from the float mean: add the (tiny) difference that makes.
        float mean = (float)exactMean;
        squares += count * (exactMean - mean) * (exactMean - mean);
        float invStd = (float)(1.0 / Math.Sqrt(squares / count + eps));
        savedMean[c] = mean;
        savedInvStd[c] = invStd;
        // PyTorch tracks the unbiased variance; with a single value per channel there is none, keep 0.
        double unbiased = count > 1 ? squares / (count - 1) : 0.0;
        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean;
        runningVar[c] = (float)((1 - momentum) * runningVar[c] + momentum * unbiased);
        float channelScale = gamma[c] * invStd;
        scale[c] = channelScale;
        shift[c] = beta[c] - mean * channelScale;
    }

    /// <summary>The configuration of <see cref="Statistics"/>: one thread per channel.</summary>
    public static KernelConfig StatisticsConfig(int n, int channels, int spatial) => PerChannelConfig(channels);

    /// <summary>
    /// Inference scale and shift from the running statistics: invStd = 1/sqrt(runningVar + eps) in double, as the CPU,
    /// one thread per channel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EvalAffine(ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> runningMean,
        ArrayView<float> runningVar, ArrayView<float> scale, ArrayView<float> shift, int channels, float eps)
    {
        int c = Grid.IdxX * Group.DimX + Group.IdxX;
        if (c >= channels)
        {
            return;
        }

        float invStd = (float)(1.0 / Math.Sqrt(runningVar[c] + (double)eps));
        float channelScale = gamma[c] * invStd;
        scale[c] = channelScale;
        shift[c] = beta[c] - runningMean[c] * channelScale;
    }

    /// <summary>The configuration of <see cref="EvalAffine"/>: one thread per channel.</summary>
    public static KernelConfig EvalAffineConfig(int channels) => PerChannelConfig(channels);

    /// <summary>
    /// y = x*scale[c] + shift[c], then + residual when <paramref name="addResidual"/> (else residual is empty), then
    /// ReLU when <paramref name="reluOutput"/>; element-wise over [n, channels, spatial].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> residual,
        ArrayView<float> y, int n, int channels, int spatial, bool addResidual, bool reluOutput)
    {
        int total = n * channels * spatial;
        for (int i = Grid.IdxX * Group.DimX + Group.IdxX; i < total; i += Grid.DimX * Group.DimX)
        {
            int c = i / spatial % channels;
            float v = x[i] * scale[c] + shift[c];
            if (addResidual)
            {
                v += residual[i];
            }

            y[i] = reluOutput ? Math.Max(v, 0f) : v;
        }
    }

    /// <summary>The configuration of <see cref="Apply"/>.</summary>
    public static KernelConfig ApplyConfig(int n, int channels, int spatial)
    {
        long elements = (long)n * channels * spatial;
        if (elements > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(n), elements, "element-wise passes index with int");
        }

        return ElementGrid.Config(elements);
    }

    /// <summary>
    /// Pass 1 of the backward: per (channel, part), with g = dy masked by y &gt; 0 under <paramref name="reluOutput"/>
    /// (y is empty otherwise), writes sum(g) and sum(g*(x - mean)), summed in double, to partials (layout as
    /// <see cref="StatisticsPartials"/>); launched with <see cref="StatisticsPartialsConfig"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardPartials(ArrayView<float> dy, ArrayView<float> y, ArrayView<float> x, ArrayView<float> savedMean,
        ArrayView<float> partials, int n, int channels, int spatial, bool reluOutput)
    {
        var part = new PartLayout(channels, spatial);
        int c = Grid.IdxX / part.Parts;
        float mean = savedMean[c];
        double sumG = 0, sumGCentered = 0;
        if (part.Image < part.ImagesAtOnce)
        {
            for (int image = part.Image; image < n; image += part.ImagesAtOnce)
            {
                int plane = (image * channels + c) * spatial;
                for (int p = part.First; p < part.End; p += part.Stride)
                {
                    float g = Masked(dy, y, plane + p, reluOutput);
                    sumG += g;
                    sumGCentered += g * (double)(x[plane + p] - mean);
                }
            }
        }

        (sumG, sumGCentered) = GroupSum.Pair(sumG, sumGCentered);
        if (Group.IdxX == 0)
        {
            partials[2 * Grid.IdxX] = (float)sumG;
            partials[2 * Grid.IdxX + 1] = (float)sumGCentered;
        }
    }

    /// <summary>
    /// Pass 2 of the backward, one thread per channel: adds the parts, dGamma += sum(g*xhat), dBeta += sum(g), and
    /// writes the input-gradient coefficients dx = a*g + b*(x - mean) + d to coefficients[3c + 0, 1, 2].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardSums(ArrayView<float> partials, ArrayView<float> gamma, ArrayView<float> savedInvStd,
        ArrayView<float> dGamma, ArrayView<float> dBeta, ArrayView<float> coefficients, int n, int channels, int spatial)
    {
        int c = Grid.IdxX * Group.DimX + Group.IdxX;
        if (c >= channels)
        {
            return;
        }

        int parts = BatchNormPartition.Parts(channels, spatial);
        double sumG = 0, sumGCentered = 0;
        for (int j = 0; j < parts; j++)
        {
            sumG += partials[2 * (c * parts + j)];
            sumGCentered += partials[2 * (c * parts + j) + 1];
        }

        double count = (double)n * spatial;
        float invStd = savedInvStd[c];
        double sumGXhat = sumGCentered * invStd;
        dGamma[c] += (float)sumGXhat;
        dBeta[c] += (float)sumG;
        // dx = gamma*invstd * (g - sum(g)/M - xhat*sum(g*xhat)/M) = a*g + b*(x - mean) + d.
        coefficients[3 * c] = gamma[c] * invStd;
        coefficients[3 * c + 1] = (float)(-gamma[c] * (double)invStd * invStd * sumGXhat / count);
        coefficients[3 * c + 2] = (float)(-gamma[c] * (double)invStd * sumG / count);
    }

    /// <summary>The configuration of <see cref="BackwardSums"/>: one thread per channel.</summary>
    public static KernelConfig BackwardSumsConfig(int n, int channels, int spatial) => PerChannelConfig(channels);

    /// <summary>
    /// Pass 3 of the backward, element-wise: dx = a*g + b*(x - mean) + d, written or added per
    /// <paramref name="accumulateInput"/>; dResidual = g (or += g per <paramref name="accumulateResidual"/>) when
    /// <paramref name="writeResidual"/> (else dResidual is empty). dy is not modified.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardApply(ArrayView<float> dy, ArrayView<float> y, ArrayView<float> x, ArrayView<float> savedMean,
        ArrayView<float> coefficients, ArrayView<float> dx, ArrayView<float> dResidual, int n, int channels, int spatial,
        bool reluOutput, bool writeResidual, bool accumulateResidual, bool accumulateInput)
    {
        int total = n * channels * spatial;
        for (int i = Grid.IdxX * Group.DimX + Group.IdxX; i < total; i += Grid.DimX * Group.DimX)
        {
            int c = i / spatial % channels;
            float g = Masked(dy, y, i, reluOutput);
            float v = coefficients[3 * c] * g + (coefficients[3 * c + 1] * (x[i] - savedMean[c]) + coefficients[3 * c + 2]);
            dx[i] = accumulateInput ? dx[i] + v : v;
            if (writeResidual)
            {
                dResidual[i] = accumulateResidual ? dResidual[i] + g : g;
            }
        }
    }

    /// <summary>The configuration of <see cref="BackwardApply"/>.</summary>
    public static KernelConfig BackwardApplyConfig(int n, int channels, int spatial) => ApplyConfig(n, channels, spatial);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Masked(ArrayView<float> dy, ArrayView<float> y, int i, bool relu) =>
        !relu || y[i] > 0f ? dy[i] : 0f;

    // Values of part j of a channel: n images times its spatial positions (the last part may be shorter).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double PartCount(int n, int spatial, int chunk, int j) => (double)n * (Math.Min((j + 1) * chunk, spatial) - j * chunk);

    private static KernelConfig PerChannelConfig(int channels)
    {
        int threads = Math.Min(256, (channels + 31) / 32 * 32);
        return new KernelConfig((channels + threads - 1) / threads, threads);
    }

    /// <summary>
    /// Which values of its (channel, part) a thread of a partial-sum group visits: a part of at least a group's width
    /// is walked image by image with the whole group; a narrower one with several images at once, so small planes
    /// (a 3x3 map) still keep the group busy.
    /// </summary>
    private readonly struct PartLayout
    {
        public readonly int Parts, Begin, End, First, Stride, Image, ImagesAtOnce;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PartLayout(int channels, int spatial)
        {
            Parts = BatchNormPartition.Parts(channels, spatial);
            int chunk = BatchNormPartition.Chunk(channels, spatial);
            Begin = Grid.IdxX % Parts * chunk;
            End = Math.Min(Begin + chunk, spatial);
            Stride = Math.Min(End - Begin, Group.DimX);
            ImagesAtOnce = Group.DimX / Stride;
            Image = Group.IdxX / Stride;
            First = Begin + Group.IdxX % Stride;
        }
    }
}
