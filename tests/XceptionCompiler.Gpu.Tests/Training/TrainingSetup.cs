using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Gpu.Tests.Training;

/// <summary>The training settings and batches the training-step tests share: every option that changes the update is on.</summary>
internal static class TrainingSetup
{
    public const float LabelSmoothing = 0.1f;
    public const float AverageDecay = 0.8f;
    public const float LearningRate = 0.1f;

    /// <summary>Nesterov momentum, and a weight decay that the auto filter keeps off the 1-D tensors (norms, biases).</summary>
    public static SgdOptimizer Optimizer(ICompiledNetwork network) => new(network, momentum: 0.9f, weightDecay: 0.05f, WeightDecayFilter.Auto, nesterov: true);

    /// <summary>Random batches of the network's maximum batch capacity holding the given numbers of images, random labels.</summary>
    public static Batch[] Batches(ICompiledNetwork network, int[] counts, int seed) =>
        counts.Select((count, i) => Batch(network, count, seed + i)).ToArray();

    /// <summary>sqrt(sum of squares), as clipping measures it.</summary>
    public static double GlobalNorm(float[] values) => Math.Sqrt(values.Sum(v => (double)v * v));

    private static Batch Batch(ICompiledNetwork network, int count, int seed)
    {
        int[] shape = network.InputShape;
        var batch = new Batch(network.MaxBatch, shape[0], shape[1], shape[2]) { Count = count };
        TensorRandom.Fill<float>(batch.Images.AsSpan(0, count * batch.ImageSize), seed);
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            batch.Labels[i] = random.Next(network.OutputSize);
        }

        return batch;
    }
}
