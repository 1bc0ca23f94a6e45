using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// The training step of the compiled CPU class: forward, <see cref="SoftmaxCrossEntropy"/> and backward on the calling
/// thread (the network's kernels use every worker), then reduction over replicas, clipping, <see cref="SgdOptimizer"/>
/// and <see cref="WeightAverage"/> on the host buffers themselves. Each submission is done when it returns.
/// </summary>
public sealed class HostTrainingStep : ITrainingStep
{
    private readonly ICompiledNetwork network;
    private readonly SgdOptimizer optimizer;
    private readonly WeightAverage? average;
    private readonly IGradientReducer reducer;
    private readonly float labelSmoothing;
    private readonly float? clipNorm;
    private readonly float[] logits;
    private readonly float[] logitsGradient;
    private MicroBatchResult? done;

    /// <param name="clipNorm">The maximum global gradient norm, or null not to clip.</param>
    public HostTrainingStep(ICompiledNetwork network, SgdOptimizer optimizer, WeightAverage? average, IGradientReducer reducer, float labelSmoothing, float? clipNorm)
    {
        this.network = network;
        this.optimizer = optimizer;
        this.average = average;
        this.reducer = reducer;
        this.labelSmoothing = labelSmoothing;
        this.clipNorm = clipNorm;
        logits = new float[network.MaxBatch * network.OutputSize];
        logitsGradient = new float[logits.Length];
        network.ZeroGradients();
    }

    public int InFlight => 1;

    public long NetworkStep
    {
        get => network.Step;
        set => network.Step = value;
    }

    public IInferenceNetwork Evaluator => network;

    public void Submit(Batch batch, float gradientScale)
    {
        if (done is not null)
        {
            throw new InvalidOperationException("collect the previous micro-batch before submitting the next");
        }

        int classes = network.OutputSize;
        network.ForwardTrain(batch.ValidImages, batch.Count, logits);
        double loss = SoftmaxCrossEntropy.Compute(logits, batch.Labels, batch.Count, classes, labelSmoothing, logitsGradient, gradientScale);
        int hits = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            hits += TopK.Contains(logits.AsSpan(i * classes, classes), batch.Labels[i], 1) ? 1 : 0;
        }

        // A non-finite loss is the trainer's to report; its gradient would only spread NaNs through the weights.
        if (double.IsFinite(loss))
        {
            network.Backward(logitsGradient, []);
        }

        done = new MicroBatchResult(loss, hits, batch.Count);
    }

    public MicroBatchResult Collect()
    {
        MicroBatchResult result = done ?? throw new InvalidOperationException("no micro-batch was submitted");
        done = null;
        return result;
    }

    public void Update(float learningRate)
    {
        reducer.AverageGradients(network.Gradients);
        if (clipNorm is float maxNorm)
        {
            GradientClipping.ClipByGlobalNorm(network.Gradients, maxNorm);
        }

        optimizer.Step(learningRate, clearGradients: true);
        average?.Update();
    }

    public void SwapAverage() => average?.SwapInto();

    // The host objects are the state itself.
    public void PullState()
    {
    }

    public void PushState()
    {
    }

    public void Dispose()
    {
    }
}
