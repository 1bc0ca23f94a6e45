using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>The outcome of one micro-batch: its mean loss (with label smoothing, before any gradient scaling) and top-1 hits.</summary>
public readonly record struct MicroBatchResult(double MeanLoss, int Top1Hits, int Count);

/// <summary>
/// Where a training step runs: the compiled CPU class (<see cref="HostTrainingStep"/>) or its GPU twin
/// (<c>Gpu.DeviceTrainingStep</c>). The trainer drives both the same way: <see cref="Submit"/> a micro-batch (forward,
/// cross-entropy, backward; gradients accumulate), <see cref="Update"/> after every accumulation window, and
/// <see cref="Collect"/> results oldest first. A device that computes asynchronously accepts up to <see cref="InFlight"/>
/// submissions before the oldest is collected, so the next batch's copy and the host's work overlap compute.
/// <para>
/// Checkpoints read and write the host objects the step was built over (network parameters, statistics and step, the
/// optimizer's momentum, the weight average): <see cref="PullState"/> brings them up to date before a save, and
/// <see cref="PushState"/> hands them to the device after a restore.
/// </para>
/// </summary>
public interface ITrainingStep : IDisposable
{
    /// <summary>Micro-batches that may be submitted and not yet collected (1: each is done when submitted).</summary>
    int InFlight { get; }

    /// <summary>The training forwards taken so far (it selects the dropout masks).</summary>
    long NetworkStep { get; set; }

    /// <summary>Evaluation-mode forward over the weights being trained (the average while <see cref="SwapAverage"/> holds it).</summary>
    IInferenceNetwork Evaluator { get; }

    /// <summary>
    /// Starts forward, loss and backward of a micro-batch; the loss gradient is scaled by <paramref name="gradientScale"/>
    /// (1 / accumulation steps). The batch may be reused as soon as this returns.
    /// </summary>
    void Submit(Batch batch, float gradientScale);

    /// <summary>Waits for the oldest submitted micro-batch not yet collected and returns its result.</summary>
    MicroBatchResult Collect();

    /// <summary>
    /// After the micro-batches of one accumulation window were submitted: averages gradients over replicas, clips them
    /// when configured, applies SGD at <paramref name="learningRate"/>, updates the weight average, zeroes gradients.
    /// </summary>
    void Update(float learningRate);

    /// <summary>Exchanges the live and averaged weights (and statistics); call again to swap back. Nothing without ema.</summary>
    void SwapAverage();

    /// <summary>Copies the step's state into the host network, optimizer and weight average (before a checkpoint save).</summary>
    void PullState();

    /// <summary>Copies the host network, optimizer and weight average into the step's state (after a checkpoint restore).</summary>
    void PushState();
}
