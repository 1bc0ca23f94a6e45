using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The optimizer step of <see cref="Training.SgdOptimizer"/> and the clipping of
/// <see cref="Training.GradientClipping"/> on the GPU. Learning rate and momentum are kernel arguments, so one
/// compiled kernel serves every step of a schedule.
/// </summary>
public static class GpuSgd
{
    /// <summary>Groups of <see cref="SumOfSquares"/> at most: one partial sum each, added by one group in <see cref="ClipToNorm"/>.</summary>
    public const int MaxPartialSums = 256;

    /// <summary>
    /// One momentum-SGD update over a contiguous range of one weight decay: g = grad + wd*w; v = momentum*v + g;
    /// w -= lr * (nesterov ? g + momentum*v : v). The launcher calls it once per run of tensors with the same decay.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update(ArrayView<float> parameters, ArrayView<float> gradients, ArrayView<float> velocity,
        float learningRate, float momentum, float weightDecay, bool nesterov)
    {
        int length = (int)parameters.Length;
        for (int i = Grid.IdxX * Group.DimX + Group.IdxX; i < length; i += Grid.DimX * Group.DimX)
        {
            float g = gradients[i] + (weightDecay * parameters[i]);
            float v = (momentum * velocity[i]) + g;
            velocity[i] = v;
            parameters[i] -= learningRate * (nesterov ? g + (momentum * v) : v);
        }
    }

    /// <summary>The configuration of <see cref="Update"/> over <paramref name="length"/> parameters.</summary>
    public static KernelConfig UpdateConfig(int length) => ElementGrid.Config(length);

    /// <summary>
    /// Pass 1 of clipping by global norm: each group writes the sum of squares of its grid-stride share of
    /// <paramref name="values"/>, summed in double, to partialSums[group].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SumOfSquares(ArrayView<float> values, ArrayView<float> partialSums)
    {
        int length = (int)values.Length;
        double sum = 0;
        for (int i = Grid.IdxX * Group.DimX + Group.IdxX; i < length; i += Grid.DimX * Group.DimX)
        {
            sum += (double)values[i] * values[i];
        }

        (sum, _) = GroupSum.Pair(sum, 0.0);
        if (Group.IdxX == 0)
        {
            partialSums[Grid.IdxX] = (float)sum;
        }
    }

    /// <summary>The configuration of <see cref="SumOfSquares"/>; its group count is the length of the partial sums.</summary>
    public static KernelConfig SumOfSquaresConfig(int length)
    {
        int groups = Math.Clamp((length + ElementGrid.GroupSize - 1) / ElementGrid.GroupSize, 1, MaxPartialSums);
        return new KernelConfig(groups, ElementGrid.GroupSize);
    }

    /// <summary>
    /// Pass 2: norm = sqrt(sum of the partial sums); when norm &gt; maxNorm, values *= (float)(maxNorm / norm), as the
    /// CPU. Each group adds the (at most 256) partial sums itself, so no pass in between; the host reads the norm from
    /// the partial sums when it wants to log it. Launched with <see cref="UpdateConfig"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ClipToNorm(ArrayView<float> values, ArrayView<float> partialSums, float maxNorm)
    {
        double partial = Group.IdxX < partialSums.Length ? partialSums[Group.IdxX] : 0.0;
        (double sum, _) = GroupSum.Pair(partial, 0.0);
        double norm = Math.Sqrt(sum);
        if (!(norm > maxNorm && norm > 0))
        {
            return;
        }

        float scale = (float)(maxNorm / norm);
        int length = (int)values.Length;
        for (int i = Grid.IdxX * Group.DimX + Group.IdxX; i < length; i += Grid.DimX * Group.DimX)
        {
            values[i] *= scale;
        }
    }
}
