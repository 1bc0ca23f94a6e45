using System.Diagnostics;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Cli.Benchmarks;

/// <summary>
/// Times whole steps of a compiled network: a training step is forward (training mode), cross-entropy, backward and
/// an SGD update, as the trainer runs it; an inference step is one evaluation forward. Inputs are random and fixed.
/// </summary>
internal sealed class StepTimer
{
    private readonly ICompiledNetwork network;
    private readonly int batch;
    private readonly float[] input;
    private readonly int[] labels;
    private readonly float[] logits;
    private readonly float[] logitsGradient;
    private readonly SgdOptimizer optimizer;

    public StepTimer(ICompiledNetwork network, int batch)
    {
        this.network = network;
        this.batch = batch;
        var random = new Random(1);
        input = new float[batch * network.InputShape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (random.NextSingle() * 2) - 1;
        }

        labels = Enumerable.Range(0, batch).Select(i => i % network.OutputSize).ToArray();
        logits = new float[batch * network.OutputSize];
        logitsGradient = new float[logits.Length];
        optimizer = new SgdOptimizer(network, 0.9f, 1e-5f, WeightDecayFilter.Disable, nesterov: false);
    }

    /// <summary>Runs <paramref name="warmup"/> untimed steps, then returns the duration of each of <paramref name="iterations"/> steps.</summary>
    public IReadOnlyList<TimeSpan> Run(bool training, int warmup, int iterations)
    {
        for (int i = 0; i < warmup; i++)
        {
            Step(training);
        }

        var times = new List<TimeSpan>(iterations);
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Step(training);
            times.Add(Stopwatch.GetElapsedTime(start));
        }

        return times;
    }

    private void Step(bool training)
    {
        if (!training)
        {
            network.ForwardEval(input, batch, logits);
            return;
        }

        network.ForwardTrain(input, batch, logits);
        SoftmaxCrossEntropy.Compute(logits, labels, batch, network.OutputSize, 0.1f, logitsGradient);
        network.Backward(logitsGradient, []);
        optimizer.Step(1e-4f);
        network.ZeroGradients();
    }
}
