using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Training;

/// <summary>
/// <see cref="DeviceTrainingStep"/> on the CPU accelerator against <see cref="HostTrainingStep"/> on the compiled CPU
/// class, both built over twin networks with their own optimizer and weight average: results, the state checkpoints
/// read, the in-flight rules, the swap to the average, and the state hooks.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class DeviceTrainingStepTests(CpuAccelerator device)
{
    private const int MaxBatch = 3;
    private const float GradientScale = 0.5f; // two micro-batches per optimizer step

    // Both sides compute in float32 with different summation orders (the CPU class vectorises, the GPU kernels reduce by
    // warps and atomics). Measured after two updates: parameters, velocity and average differ by about 3e-8 relative L2,
    // statistics by 1e-7. A wrong decay group, momentum form, clip or average moves them by 4e-4 to 1 (tried), so 1e-5
    // fails every such slip and leaves room for other summation orders.
    private const double StateTolerance = 1e-5;

    // Per-sample losses are float on the device and double on the CPU.
    private const double LossTolerance = 1e-5;

    [Fact]
    public void MatchesTheHostStepWithAccumulationNesterovDecayFilterClippingAndAverage()
    {
        const float maxNorm = 0.05f;
        (ICompiledNetwork cpu, ICompiledNetwork host) = NetworkTwins.Create("Tiny", MaxBatch, seed: 31);
        cpu.DropoutSeed = host.DropoutSeed = 77; // dropout stays on: the device must draw the host's masks
        var expected = new Mirrors(cpu);
        var actual = new Mirrors(host);
        using ITrainingStep hostStep = new HostTrainingStep(cpu, expected.Optimizer, expected.Average, LocalGradientReducer.Instance, TrainingSetup.LabelSmoothing, maxNorm);
        using ITrainingStep deviceStep = DeviceStep(actual, LocalGradientReducer.Instance, maxNorm);
        Assert.Contains(host.Tensors, t => t.Trainable && !WeightDecayFilter.Auto.Decays(t));

        Batch[] batches = TrainingSetup.Batches(cpu, [3, 2, 3, 1], seed: 5);
        for (int i = 0; i < batches.Length; i++)
        {
            hostStep.Submit(batches[i], GradientScale);
            deviceStep.Submit(batches[i], GradientScale);
            AssertSameResult($"micro-batch {i}", hostStep.Collect(), deviceStep.Collect());
            if (i % 2 == 1)
            {
                double norm = TrainingSetup.GlobalNorm(cpu.Gradients);
                Assert.True(norm > maxNorm, $"the gradient norm {norm} must exceed the clipping norm {maxNorm}, or clipping goes untested");
                hostStep.Update(TrainingSetup.LearningRate);
                deviceStep.Update(TrainingSetup.LearningRate);
            }
        }

        deviceStep.PullState();
        Assert.Equal(cpu.Step, deviceStep.NetworkStep);
        TensorAssert.RelativeL2("parameters", cpu.Parameters, host.Parameters, StateTolerance);
        TensorAssert.RelativeL2("statistics", cpu.Statistics, host.Statistics, StateTolerance);
        TensorAssert.RelativeL2("velocity", expected.Optimizer.Velocity, actual.Optimizer.Velocity, StateTolerance);
        TensorAssert.RelativeL2("averaged parameters", expected.Average.Parameters, actual.Average.Parameters, StateTolerance);
        TensorAssert.RelativeL2("averaged statistics", expected.Average.Statistics, actual.Average.Statistics, StateTolerance);
    }

    [Fact]
    public void PipelinedSubmissionsGiveTheSequentialResults()
    {
        (ICompiledNetwork first, ICompiledNetwork second) = NetworkTwins.Create("Tiny", MaxBatch, seed: 41);
        var sequentialMirrors = new Mirrors(first);
        var pipelinedMirrors = new Mirrors(second);
        using ITrainingStep sequential = DeviceStep(sequentialMirrors, LocalGradientReducer.Instance, clipNorm: null);
        using ITrainingStep pipelined = DeviceStep(pipelinedMirrors, LocalGradientReducer.Instance, clipNorm: null);
        Batch[] batches = TrainingSetup.Batches(first, [3, 1, 2], seed: 9);

        var expected = new List<MicroBatchResult>();
        sequential.Submit(batches[0], GradientScale);
        expected.Add(sequential.Collect());
        sequential.Submit(batches[1], GradientScale);
        expected.Add(sequential.Collect());
        sequential.Update(TrainingSetup.LearningRate);
        sequential.Submit(batches[2], GradientScale);
        expected.Add(sequential.Collect());
        sequential.Update(TrainingSetup.LearningRate);

        // As the trainer drives it: the next micro-batch goes in before the last is collected, across an update too.
        var actual = new List<MicroBatchResult>();
        pipelined.Submit(batches[0], GradientScale);
        pipelined.Submit(batches[1], GradientScale);
        actual.Add(pipelined.Collect());
        pipelined.Update(TrainingSetup.LearningRate);
        pipelined.Submit(batches[2], GradientScale);
        actual.Add(pipelined.Collect());
        pipelined.Update(TrainingSetup.LearningRate);
        actual.Add(pipelined.Collect());

        for (int i = 0; i < batches.Length; i++)
        {
            AssertSameResult($"micro-batch {i}", expected[i], actual[i]);
        }

        sequential.PullState();
        pipelined.PullState();
        // The same kernels in the same order: only the order of atomic additions may differ.
        TensorAssert.RelativeL2("parameters", first.Parameters, second.Parameters, 1e-6);
        TensorAssert.RelativeL2("velocity", sequentialMirrors.Optimizer.Velocity, pipelinedMirrors.Optimizer.Velocity, 1e-6);
    }

    [Fact]
    public void SubmittingPastTheInFlightLimitOrCollectingNothingIsAClearError()
    {
        (ICompiledNetwork host, _) = NetworkTwins.Create("Tiny", MaxBatch, seed: 3);
        using ITrainingStep step = DeviceStep(new Mirrors(host), LocalGradientReducer.Instance, clipNorm: null);
        Batch[] batches = TrainingSetup.Batches(host, [2, 2, 2], seed: 1);

        Assert.Equal(2, step.InFlight);
        var nothing = Assert.Throws<InvalidOperationException>(() => step.Collect());
        Assert.Contains("no micro-batch is in flight", nothing.Message);
        step.Submit(batches[0], 1f);
        step.Submit(batches[1], 1f);
        var third = Assert.Throws<InvalidOperationException>(() => step.Submit(batches[2], 1f));
        Assert.Contains("Collect the oldest", third.Message);
        Assert.Equal(2, step.Collect().Count);
        step.Submit(batches[2], 1f);
        step.Collect();
        step.Collect();
        Assert.Throws<InvalidOperationException>(() => step.Collect());
    }

    [Fact]
    public void SwappingTheAverageTwiceRestoresTheLiveWeights()
    {
        (ICompiledNetwork host, _) = NetworkTwins.Create("Tiny", MaxBatch, seed: 13);
        var mirrors = new Mirrors(host);
        using ITrainingStep step = DeviceStep(mirrors, LocalGradientReducer.Instance, clipNorm: null);
        foreach (Batch batch in TrainingSetup.Batches(host, [3, 3], seed: 2))
        {
            step.Submit(batch, GradientScale);
            step.Collect();
        }

        step.Update(TrainingSetup.LearningRate);
        step.PullState();
        float[] live = host.Parameters.ToArray(), averaged = mirrors.Average.Parameters.ToArray();
        float[] liveStatistics = host.Statistics.ToArray(), averagedStatistics = mirrors.Average.Statistics.ToArray();
        Assert.NotEqual(live, averaged);
        float[] input = NetworkFixtures.Input(host, MaxBatch, seed: 4);
        float[] liveLogits = EvaluationLogits(step, input);

        step.SwapAverage();
        step.PullState(); // swapped: the live buffers hold the average, the average buffers the live weights
        TensorAssert.Identical("parameters while swapped", averaged, host.Parameters);
        TensorAssert.Identical("statistics while swapped", averagedStatistics, host.Statistics);
        TensorAssert.Identical("average while swapped", live, mirrors.Average.Parameters);
        Assert.NotEqual(liveLogits, EvaluationLogits(step, input));

        step.SwapAverage();
        step.PullState();
        TensorAssert.Identical("parameters swapped back", live, host.Parameters);
        TensorAssert.Identical("statistics swapped back", liveStatistics, host.Statistics);
        TensorAssert.Identical("average swapped back", averaged, mirrors.Average.Parameters);
        TensorAssert.Identical("logits swapped back", liveLogits, EvaluationLogits(step, input));
    }

    [Fact]
    public void PushStateHandsTheHostStateToTheDevice()
    {
        (ICompiledNetwork cpu, ICompiledNetwork host) = NetworkTwins.Create("Tiny", MaxBatch, seed: 17);
        var expected = new Mirrors(cpu);
        var actual = new Mirrors(host);
        using ITrainingStep hostStep = new HostTrainingStep(cpu, expected.Optimizer, expected.Average, LocalGradientReducer.Instance, TrainingSetup.LabelSmoothing, clipNorm: null);
        using ITrainingStep deviceStep = DeviceStep(actual, LocalGradientReducer.Instance, clipNorm: null);

        // A restore writes every host mirror after the step was built.
        foreach (Mirrors side in new[] { expected, actual })
        {
            NetworkFixtures.Randomized(side.Network, seed: 23);
            TensorRandom.Fill<float>(side.Optimizer.Velocity, seed: 24);
            TensorRandom.Fill<float>(side.Average.Parameters, seed: 25);
            TensorRandom.Fill<float>(side.Average.Statistics, seed: 26, min: 0.5, max: 1.5);
        }

        deviceStep.PushState();
        float[] input = NetworkFixtures.Input(cpu, MaxBatch, seed: 8);
        var cpuLogits = new float[MaxBatch * cpu.OutputSize];
        cpu.ForwardEval(input, MaxBatch, cpuLogits);
        TensorAssert.MaxAbsRelative("logits after PushState", cpuLogits, EvaluationLogits(deviceStep, input), 1e-4);

        // An update without gradients moves the weights by the pushed velocity and blends them into the pushed average.
        hostStep.Update(TrainingSetup.LearningRate);
        deviceStep.Update(TrainingSetup.LearningRate);
        deviceStep.PullState();
        TensorAssert.RelativeL2("parameters", cpu.Parameters, host.Parameters, 1e-6);
        TensorAssert.RelativeL2("velocity", expected.Optimizer.Velocity, actual.Optimizer.Velocity, 1e-6);
        TensorAssert.RelativeL2("averaged parameters", expected.Average.Parameters, actual.Average.Parameters, 1e-6);
        TensorAssert.RelativeL2("averaged statistics", expected.Average.Statistics, actual.Average.Statistics, 1e-6);
    }

    [Fact]
    public void AReducerOverReplicasRewritesTheDeviceGradientsBeforeTheUpdate()
    {
        (ICompiledNetwork cpu, ICompiledNetwork host) = NetworkTwins.Create("Tiny", MaxBatch, seed: 29);
        var expected = new Mirrors(cpu);
        var actual = new Mirrors(host);
        var hostReducer = new ShiftingReducer();
        var deviceReducer = new ShiftingReducer();
        using ITrainingStep hostStep = new HostTrainingStep(cpu, expected.Optimizer, expected.Average, hostReducer, TrainingSetup.LabelSmoothing, clipNorm: null);
        using ITrainingStep deviceStep = DeviceStep(actual, deviceReducer, clipNorm: null);

        foreach (Batch batch in TrainingSetup.Batches(cpu, [3, 2], seed: 6))
        {
            hostStep.Submit(batch, GradientScale);
            deviceStep.Submit(batch, GradientScale);
            hostStep.Collect();
            deviceStep.Collect();
        }

        hostStep.Update(TrainingSetup.LearningRate);
        deviceStep.Update(TrainingSetup.LearningRate);
        deviceStep.PullState();

        Assert.Equal(1, deviceReducer.Calls);
        TensorAssert.RelativeL2("velocity", expected.Optimizer.Velocity, actual.Optimizer.Velocity, StateTolerance);
        TensorAssert.RelativeL2("parameters", cpu.Parameters, host.Parameters, StateTolerance);
    }

    private DeviceTrainingStep DeviceStep(Mirrors mirrors, IGradientReducer reducer, float? clipNorm) =>
        new(GpuNetworkRegistry.Create(mirrors.Network, device.Accelerator), mirrors.Optimizer, mirrors.Average, reducer, TrainingSetup.LabelSmoothing, clipNorm);

    private static float[] EvaluationLogits(ITrainingStep step, float[] input)
    {
        var logits = new float[MaxBatch * step.Evaluator.OutputSize];
        step.Evaluator.ForwardEval(input, MaxBatch, logits);
        return logits;
    }

    private static void AssertSameResult(string what, MicroBatchResult expected, MicroBatchResult actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Top1Hits, actual.Top1Hits);
        double error = Math.Abs(actual.MeanLoss - expected.MeanLoss) / Math.Abs(expected.MeanLoss);
        Assert.True(error <= LossTolerance, $"{what}: loss {actual.MeanLoss}, expected {expected.MeanLoss} (relative error {error:E2})");
    }

    /// <summary>A network with the optimizer and weight average built over it: the host state a training step mirrors.</summary>
    private sealed record Mirrors(ICompiledNetwork Network, SgdOptimizer Optimizer, WeightAverage Average)
    {
        public Mirrors(ICompiledNetwork network)
            : this(network, TrainingSetup.Optimizer(network), new WeightAverage(network, TrainingSetup.AverageDecay))
        {
        }
    }

    /// <summary>Stands in for a second replica: the "average" is g / 2 + 0.01, a change no update could hide.</summary>
    private sealed class ShiftingReducer : IGradientReducer
    {
        public int Calls { get; private set; }

        public int WorldSize => 2;

        public int Rank => 0;

        public void AverageGradients(Span<float> gradients)
        {
            Calls++;
            foreach (ref float g in gradients)
            {
                g = (g / 2) + 0.01f;
            }
        }

        public void SumMetrics(Span<double> values)
        {
        }
    }
}
