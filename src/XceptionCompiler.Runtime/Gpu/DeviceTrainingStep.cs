using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// The training step of the GPU twin: <see cref="GpuTrainingStep"/> (forward, loss, backward, clipping, SGD on the
/// device, two micro-batches in flight) and <see cref="GpuWeightAverage"/>. The host network, <see cref="SgdOptimizer"/>
/// and <see cref="WeightAverage"/> it was built over are the mirrors checkpoints read and write; between
/// <see cref="PullState"/> and <see cref="PushState"/> the device holds the state. Only a reduction over replicas
/// brings the gradients to the host.
/// </summary>
public sealed class DeviceTrainingStep : ITrainingStep
{
    private readonly GpuNetwork network;
    private readonly IGradientReducer reducer;
    private readonly float? clipNorm;
    private readonly GpuTrainingStep step;
    private readonly GpuWeightAverage? average;

    /// <summary>Takes ownership of <paramref name="network"/>, whose host network the optimizer and the average were built over.</summary>
    /// <param name="clipNorm">The maximum global gradient norm, or null not to clip.</param>
    public DeviceTrainingStep(GpuNetwork network, SgdOptimizer optimizer, WeightAverage? average, IGradientReducer reducer, float labelSmoothing, float? clipNorm)
    {
        this.network = network;
        this.reducer = reducer;
        this.clipNorm = clipNorm;
        network.DropoutSeed = network.Host.DropoutSeed;
        network.DropoutEnabled = network.Host.DropoutEnabled;
        try
        {
            step = new GpuTrainingStep(network, optimizer, labelSmoothing);
            this.average = average is null ? null : new GpuWeightAverage(network, average);
        }
        catch
        {
            step?.Dispose();
            network.Dispose();
            throw;
        }
    }

    public int InFlight => GpuTrainingStep.MaxInFlight;

    public long NetworkStep
    {
        get => network.Step;
        set => network.Step = value;
    }

    public IInferenceNetwork Evaluator => network;

    public void Submit(Batch batch, float gradientScale) => step.Submit(batch.ValidImages, batch.Labels, batch.Count, gradientScale);

    public MicroBatchResult Collect() => step.Collect();

    public void Update(float learningRate)
    {
        if (reducer.WorldSize > 1)
        {
            // The host network's gradient buffer is otherwise unused: it carries the exchange.
            float[] gradients = network.Host.Gradients;
            network.CopyGradientsTo(gradients);
            reducer.AverageGradients(gradients);
            network.CopyGradientsFrom(gradients);
        }

        if (clipNorm is float maxNorm)
        {
            step.ClipGradients(maxNorm);
        }

        step.Update(learningRate);
        average?.Update();
    }

    public void SwapAverage() => average?.SwapInto();

    public void PullState()
    {
        network.Host.Step = network.Step;
        network.CopyToHost();
        step.CopyVelocityToHost();
        average?.CopyToHost();
    }

    public void PushState()
    {
        network.Step = network.Host.Step;
        network.CopyToDevice();
        step.CopyVelocityToDevice();
        average?.CopyToDevice();
    }

    public void Dispose()
    {
        average?.Dispose();
        step.Dispose();
        network.Dispose();
    }
}
