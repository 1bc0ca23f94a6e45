using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Runtime.Benchmarking;

/// <summary>
/// One step of a compiled network on a fixed random batch, for timing: a training step is forward (training mode),
/// softmax cross-entropy, backward and an SGD update, as the trainer runs it; an inference step is one evaluation
/// forward. `xception bench` and the BenchmarkDotNet suite both time these.
/// </summary>
public sealed class SyntheticStep
{
    private readonly ICompiledNetwork network;
    private readonly int batch;
    private readonly float[] input;
    private readonly int[] labels;
    private readonly float[] logits;
    private readonly float[] logitsGradient;
    private readonly SgdOptimizer optimizer;

    /// <summary>A batch of <paramref name="batch"/> images uniform in [-1, 1) and labels 0, 1, 2, ….</summary>
    public SyntheticStep(ICompiledNetwork network, int batch)
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

    /// <summary>Forward, loss, backward (no input gradient) and an SGD update; returns the loss.</summary>
    public double Train()
    {
        network.ForwardTrain(input, batch, logits);
        double loss = SoftmaxCrossEntropy.Compute(logits, labels, batch, network.OutputSize, 0.1f, logitsGradient);
        network.Backward(logitsGradient, []);
        optimizer.Step(1e-4f, clearGradients: true);
        return loss;
    }

    /// <summary>One evaluation forward; returns the logits.</summary>
    public ReadOnlySpan<float> Infer()
    {
        network.ForwardEval(input, batch, logits);
        return logits;
    }
}
