using System.Diagnostics;
using System.Globalization;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// The training loop of a compiled network, as MindCV's train.py runs it: per step forward, cross-entropy with
/// label smoothing, backward; every gradient_accumulation_steps micro-batches the gradients are averaged across
/// replicas (<see cref="IGradientReducer"/>, the only place replicas meet), clipped, and applied by SGD at the
/// scheduled learning rate, then the weight average is updated. After each epoch: validation (val_while_train,
/// val_interval), a checkpoint, a metrics row and the curve plot. Everything that decides a step (data order,
/// augmentation, dropout masks, learning rate) derives from the seed and the position, so a resumed run continues
/// bit for bit.
/// <para>
/// The step runs where <see cref="ITrainingStep"/> puts it: on the compiled CPU class, or, given an accelerator, on its
/// GPU twin. A GPU step keeps a second micro-batch queued while the first is collected, so the trainer reports each
/// micro-batch one submission later; the update order is the same either way.
/// </para>
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly ICompiledNetwork network;
    private readonly TrainConfig config;
    private readonly DataLoader train;
    private readonly DataLoader? validation;
    private readonly IGradientReducer reducer;
    private readonly ProgressReporter progress;
    private readonly SgdOptimizer optimizer;
    private readonly WeightAverage? average;
    private readonly ITrainingStep step;
    private readonly TrainingCheckpoints checkpoints;
    private readonly LearningRateSchedule schedule;
    private readonly int accumulation;

    /// <param name="gpu">The GPU twin of <paramref name="network"/> to train on (the trainer disposes it), or null to train the compiled CPU class.</param>
    public Trainer(ICompiledNetwork network, TrainConfig config, DataLoader train, DataLoader? validation, IGradientReducer reducer, ProgressReporter progress, GpuNetwork? gpu = null)
    {
        TrainerChecks.Validate(config, network, train, onAccelerator: gpu is not null);
        if (gpu is not null && !ReferenceEquals(gpu.Host, network))
        {
            throw new ArgumentException($"the GPU network mirrors another {gpu.Host.Name} instance than the one to train", nameof(gpu));
        }

        this.network = network;
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.reducer = reducer;
        this.progress = progress;
        accumulation = config.GradientAccumulationSteps;
        optimizer = new SgdOptimizer(network, (float)config.Momentum, (float)config.WeightDecay, WeightDecayFilters.Parse(config.WeightDecayFilter), config.UseNesterov);
        average = config.Ema ? new WeightAverage(network, (float)config.EmaDecay) : null;
        float? clipNorm = config.ClipGrad ? (float)config.ClipValue : null;
        step = gpu is null
            ? new HostTrainingStep(network, optimizer, average, reducer, (float)config.LabelSmoothing, clipNorm)
            : new DeviceTrainingStep(gpu, optimizer, average, reducer, (float)config.LabelSmoothing, clipNorm);
        checkpoints = new TrainingCheckpoints(config.CkptSaveDir, ModelFilePrefix(config.Model), config.KeepCheckpointMax, config.CkptSavePolicy);
        StepsPerEpoch = train.BatchesPerEpoch / accumulation;
        schedule = new LearningRateSchedule(
            config.Scheduler, (float)config.Lr, (float)config.MinLr, config.WarmupEpochs, (float)config.WarmupFactor, config.DecayEpochs,
            (float)config.DecayRate, config.MultiStepDecayMilestones.ToArray(), config.LrEpochStair, StepsPerEpoch);
    }

    /// <summary>Optimizer steps per epoch.</summary>
    public int StepsPerEpoch { get; }

    public TrainingCheckpoints Checkpoints => checkpoints;

    public string MetricsPath => Path.Combine(config.CkptSaveDir, "metrics.jsonl");

    public string PlotPath => Path.Combine(config.CkptSaveDir, "curves.png");

    /// <summary>Trains from the start, or from <paramref name="resumeFrom"/> (a checkpoint this trainer wrote), to epoch_size epochs.</summary>
    public TrainingSummary Run(string? resumeFrom = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        TrainingPosition position = TrainingPosition.Start;
        if (resumeFrom is not null)
        {
            position = TrainingCheckpoints.Restore(resumeFrom, network, optimizer, average);
            step.PushState();
        }

        step.NetworkStep = position.NetworkStep;
        bool writer = reducer.Rank == 0;
        using MetricsLog? log = writer ? new MetricsLog(MetricsPath, append: resumeFrom is not null) : null;
        var history = new List<EpochMetrics>(writer && resumeFrom is not null ? MetricsLog.ReadEpochs(MetricsPath).Where(e => e.Epoch <= position.Epoch) : []);
        string? lastCheckpoint = resumeFrom;
        int microBatches = StepsPerEpoch * accumulation;

        for (int epoch = position.Epoch; epoch < config.EpochSize; epoch++)
        {
            progress.EpochStarted(epoch + 1, config.EpochSize, microBatches);
            var epochClock = Stopwatch.StartNew();
            double lossSum = 0;
            long hits = 0, seen = 0;
            long firstOptimizerStep = position.OptimizerStep;
            float learningRate = schedule.At(firstOptimizerStep);
            int submitted = 0, collected = 0;

            // The optimizer step whose accumulation window micro-batch `micro` (1-based) belongs to.
            long WindowOf(int micro) => firstOptimizerStep + ((micro - 1) / accumulation);

            // Reports the oldest micro-batch in flight: the loss check, running metrics, progress and the step log.
            void CollectOne()
            {
                MicroBatchResult result = step.Collect();
                int micro = ++collected;
                long optimizerStep = firstOptimizerStep + (micro / accumulation);
                if (!double.IsFinite(result.MeanLoss))
                {
                    string kept = lastCheckpoint is null ? "No checkpoint was written before it." : $"The last good checkpoint is {lastCheckpoint}.";
                    throw new TrainingDivergedException(FormattableString.Invariant(
                        $"the loss is {result.MeanLoss} at epoch {epoch + 1}, step {micro} (optimizer step {WindowOf(micro) + 1}); training stopped. {kept} Lower the learning rate or enable clip_grad."));
                }

                lossSum += result.MeanLoss * result.Count;
                hits += result.Top1Hits;
                seen += result.Count;
                learningRate = schedule.At(WindowOf(micro));
                double imagesPerSecond = seen * reducer.WorldSize / Math.Max(1e-9, epochClock.Elapsed.TotalSeconds);
                var remaining = TimeSpan.FromSeconds((microBatches - micro) * result.Count * reducer.WorldSize / Math.Max(1e-9, imagesPerSecond));
                progress.Step(micro, lossSum / seen, learningRate, imagesPerSecond, remaining);
                if (optimizerStep % Math.Max(1, config.LogInterval) == 0 && micro % accumulation == 0)
                {
                    log?.Step(epoch + 1, optimizerStep, result.MeanLoss, learningRate, imagesPerSecond);
                }
            }

            foreach (Batch batch in train.Epoch(epoch))
            {
                if (submitted == microBatches)
                {
                    break; // the micro-batches that do not fill an accumulation window are dropped, like a short batch.
                }

                cancellation.ThrowIfCancellationRequested();
                step.Submit(batch, 1f / accumulation);
                submitted++;
                while (submitted - collected >= step.InFlight)
                {
                    CollectOne();
                }

                if (submitted % accumulation == 0)
                {
                    step.Update(schedule.At(WindowOf(submitted)));
                }
            }

            while (collected < submitted)
            {
                CollectOne();
            }

            position = new TrainingPosition(epoch + 1, firstOptimizerStep + (submitted / accumulation), step.NetworkStep);
            double seconds = epochClock.Elapsed.TotalSeconds;
            var sums = new double[] { lossSum, hits, seen };
            reducer.SumMetrics(sums);
            EvaluationResult? evaluation = ShouldValidate(epoch) ? Validate() : null;
            string? saved = null;
            if (writer && ((epoch + 1) % Math.Max(1, config.CkptSaveInterval) == 0 || epoch + 1 == config.EpochSize))
            {
                step.PullState();
                saved = checkpoints.Save(network, optimizer, average, position, StepsPerEpoch, evaluation?.Top1, CheckpointMetadata());
                lastCheckpoint = saved;
            }

            var metrics = new EpochMetrics(epoch + 1, sums[0] / Math.Max(1, sums[2]), sums[1] / Math.Max(1, sums[2]), learningRate, seconds,
                sums[2] / Math.Max(1e-9, seconds), evaluation?.Top1, evaluation?.Top5, evaluation?.Loss, saved);
            history.Add(metrics);
            if (writer)
            {
                log!.Epoch(metrics);
                CurvePlot.Write(PlotPath, history, $"{network.Name} on {train.Source.Description}");
                progress.Line(Describe(metrics));
            }
        }

        // The host network holds the trained weights when Run returns, wherever the steps ran.
        step.PullState();
        EpochMetrics? best = history.Where(e => e.ValidationTop1 is not null).MaxBy(e => e.ValidationTop1);
        return new TrainingSummary(history, best, lastCheckpoint, clock.Elapsed, train.Skipped.Count + (validation?.Skipped.Count ?? 0));
    }

    /// <summary>Validation of the current weights (the averaged ones when ema is on).</summary>
    public EvaluationResult Validate()
    {
        if (validation is null)
        {
            throw new TrainingException("no validation data was given");
        }

        step.SwapAverage();
        try
        {
            return Evaluation.Run(step.Evaluator, validation, reducer);
        }
        finally
        {
            step.SwapAverage();
        }
    }

    public void Dispose() => step.Dispose();

    /// <summary>MindCV's model names (xception, fashion_xception) as file prefixes.</summary>
    public static string ModelFilePrefix(string model) => model.Trim().ToLowerInvariant().Replace(' ', '_');

    private bool ShouldValidate(int epoch) =>
        validation is not null && config.ValWhileTrain && ((epoch + 1) % Math.Max(1, config.ValInterval) == 0 || epoch + 1 == config.EpochSize);

    private Dictionary<string, string> CheckpointMetadata() => new()
    {
        ["model"] = config.Model,
        ["network"] = network.Name,
        ["dataset"] = config.Dataset,
        ["classes"] = string.Join("\n", train.Source.ClassNames),
    };

    private static string Describe(EpochMetrics m)
    {
        string validation = m.ValidationTop1 is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $", val top-1 {m.ValidationTop1:P2} top-5 {m.ValidationTop5:P2} loss {m.ValidationLoss:F4}");
        string saved = m.Checkpoint is null ? string.Empty : ", saved " + m.Checkpoint;
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {m.Epoch}: train loss {m.TrainLoss:F4} top-1 {m.TrainTop1:P2}{validation}, {m.Seconds:F0} s ({m.ImagesPerSecond:F1} img/s){saved}");
    }
}
