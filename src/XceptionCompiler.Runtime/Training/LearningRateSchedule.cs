namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// Per-step learning rates as MindCV's schedulers give them. Time t is in epochs, fractional per step (or whole
/// epochs when <see cref="EpochStair"/>). A linear warmup from warmup_factor * lr to lr covers the first
/// warmup_epochs; then:
/// <list type="bullet">
/// <item>warmup_cosine_decay (alias cosine_decay): min_lr + (lr - min_lr)(1 + cos(pi * t' / decay_epochs)) / 2 with t' = t - warmup, held at min_lr after;</item>
/// <item>exponential_decay: lr * decay_rate^(t / decay_epochs), the exponent floored with lr_epoch_stair as TensorFlow's staircase
/// (the paper's 0.94 every 2 epochs: decay_rate 0.94, decay_epochs 2, lr_epoch_stair True);</item>
/// <item>step_decay: lr * decay_rate^floor(t / decay_epochs);</item>
/// <item>multi_step_decay: lr * decay_rate^(number of milestones reached);</item>
/// <item>constant: lr.</item>
/// </list>
/// </summary>
public sealed record LearningRateSchedule(
    string Kind,
    float BaseRate,
    float MinRate,
    float WarmupEpochs,
    float WarmupFactor,
    float DecayEpochs,
    float DecayRate,
    int[] Milestones,
    bool EpochStair,
    int StepsPerEpoch)
{
    public static readonly string[] Kinds = ["warmup_cosine_decay", "cosine_decay", "exponential_decay", "step_decay", "multi_step_decay", "constant"];

    /// <summary>The learning rate of the optimizer step with this zero-based index.</summary>
    public float At(long step)
    {
        double t = (double)step / StepsPerEpoch;
        if (EpochStair)
        {
            t = Math.Floor(t);
        }

        if (t < WarmupEpochs)
        {
            return (float)(BaseRate * (WarmupFactor + ((1 - WarmupFactor) * t / WarmupEpochs)));
        }

        switch (Kind)
        {
            case "warmup_cosine_decay":
            case "cosine_decay":
                double progress = Math.Min(1.0, (t - WarmupEpochs) / Math.Max(DecayEpochs, 1e-9));
                return (float)(MinRate + ((BaseRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress))));
            case "exponential_decay":
                double periods = t / DecayEpochs;
                return (float)(BaseRate * Math.Pow(DecayRate, EpochStair ? Math.Floor(periods) : periods));
            case "step_decay":
                return (float)(BaseRate * Math.Pow(DecayRate, Math.Floor(t / DecayEpochs)));
            case "multi_step_decay":
                return (float)(BaseRate * Math.Pow(DecayRate, Milestones.Count(m => t >= m)));
            case "constant":
                return BaseRate;
            default:
                throw new ArgumentException($"scheduler '{Kind}' is not one of {string.Join(", ", Kinds)}");
        }
    }
}
