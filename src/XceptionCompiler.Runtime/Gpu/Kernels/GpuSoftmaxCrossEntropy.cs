using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The loss of <see cref="Training.SoftmaxCrossEntropy"/> on the GPU, one warp per row, in double as on the CPU: the
/// per-sample loss, d(mean loss)/d(logits) * gradientScale, and top-1 and top-5 hits (<see cref="Training.TopK"/>), so
/// the host reads n floats per quantity instead of the logits. The mean loss is the host's sum of losses over n.
/// </summary>
public static class GpuSoftmaxCrossEntropy
{
    private const int RowsPerGroup = 8;

    // Lanes per warp on NVIDIA GPUs and on the test accelerator (docs/gpu.md); the host needs it to size groups.
    private const int WarpLanes = 32;

    /// <summary>
    /// Rows of [n, classes] logits with int labels: losses[row], gradient[row, k], top1[row] and top5[row] (1 or 0).
    /// A label outside [0, classes) (the CPU throws) gives a NaN loss and no hits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compute(ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> losses, ArrayView<float> gradient,
        ArrayView<float> top1, ArrayView<float> top5, int n, int classes, float labelSmoothing, float gradientScale)
    {
        // Whole warps leave together: the shuffles below need every lane of a warp.
        int row = Grid.IdxX * (Group.DimX / Warp.WarpSize) + Warp.WarpIdx;
        if (row >= n)
        {
            return;
        }

        int lane = Warp.LaneIdx;
        int start = row * classes;
        int label = labels[row];
        bool valid = (uint)label < (uint)classes;
        double off = labelSmoothing / classes;
        double on = 1.0 - labelSmoothing + off;

        // log-softmax through the max for stability.
        double max = double.NegativeInfinity;
        for (int k = lane; k < classes; k += Warp.WarpSize)
        {
            max = Math.Max(max, logits[start + k]);
        }

        max = WarpMax(max);
        double sum = 0;
        for (int k = lane; k < classes; k += Warp.WarpSize)
        {
            sum += DoubleMath.Exp(logits[start + k] - max);
        }

        double logSum = max + DoubleMath.Log(GroupSum.Warp(sum));
        float score = valid ? logits[start + label] : 0f;
        double loss = 0;
        int higher = 0;
        for (int k = lane; k < classes; k += Warp.WarpSize)
        {
            double target = k == label ? on : off;
            double logProbability = logits[start + k] - logSum;
            loss -= target * logProbability;
            gradient[start + k] = (float)((DoubleMath.Exp(logProbability) - target) * gradientScale / n);
            if (logits[start + k] > score)
            {
                higher++;
            }
        }

        loss = GroupSum.Warp(loss);
        higher = (int)GroupSum.Warp((double)higher);
        if (lane == 0)
        {
            // Ties count in the label's favour, as TopK.Contains; a NaN score is never a hit.
            bool scored = valid && !float.IsNaN(score);
            losses[row] = valid ? (float)loss : float.NaN;
            top1[row] = scored && higher < 1 ? 1f : 0f;
            top5[row] = scored && higher < 5 ? 1f : 0f;
        }
    }

    /// <summary>The configuration of <see cref="Compute"/>: up to eight rows (warps) per group.</summary>
    public static KernelConfig ComputeConfig(int n, int classes)
    {
        int rows = Math.Clamp(n, 1, RowsPerGroup);
        return new KernelConfig((Math.Max(n, 1) + rows - 1) / rows, rows * WarpLanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double WarpMax(double value)
    {
        for (int mask = Warp.WarpSize / 2; mask > 0; mask >>= 1)
        {
            value = Math.Max(value, Warp.ShuffleXor(value, mask));
        }

        return value;
    }
}
