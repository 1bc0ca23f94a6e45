using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Cli.Benchmarks;

/// <summary>
/// Times whole steps of a GPU network on a fixed random batch, as <see cref="StepTimer"/> does on the CPU: a training
/// step is forward, loss, backward and SGD on the device (<see cref="GpuTrainingStep"/>); an inference step is one
/// evaluation forward with its logits copied back. Each timed step ends with the device idle.
/// </summary>
internal sealed class GpuStepTimer : IDisposable
{
    private readonly GpuNetwork network;
    private readonly GpuTrainingStep step;
    private readonly int batch;
    private readonly float[] input;
    private readonly int[] labels;
    private readonly float[] logits;

    public GpuStepTimer(GpuNetwork network, int batch)
    {
        this.network = network;
        this.batch = batch;
        step = new GpuTrainingStep(network, new SgdOptimizer(network.Host, momentum: 0.9f, weightDecay: 1e-5f, WeightDecayFilter.Disable, nesterov: false), labelSmoothing: 0.1f);
        var random = new Random(1);
        input = new float[batch * network.InputFloats];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (random.NextSingle() * 2) - 1;
        }

        labels = Enumerable.Range(0, batch).Select(i => i % network.Host.OutputSize).ToArray();
        logits = new float[batch * network.Host.OutputSize];
    }

    /// <summary>Device bytes of the network and of the training step's buffers.</summary>
    public long DeviceBytes => network.DeviceBytes + step.DeviceBytes;

    public IReadOnlyList<TimeSpan> Run(bool training, int warmup, int iterations) => StepTimer.Time(() => Step(training), warmup, iterations);

    private void Step(bool training)
    {
        if (training)
        {
            step.ForwardBackward(input, labels, batch);
            step.Update(1e-4f);
            network.Accelerator.Synchronize();
        }
        else
        {
            network.ForwardEval(input, batch, logits);
        }
    }

    public void Dispose() => step.Dispose();
}
