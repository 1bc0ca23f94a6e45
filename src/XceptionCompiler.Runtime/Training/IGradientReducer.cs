namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// The one place where gradients meet across data-parallel replicas: after backward (and accumulation), before
/// clipping and the optimizer step, the trainer hands the gradient buffer here. Implementations average it over
/// replicas in place, so every replica applies the same update.
/// </summary>
public interface IGradientReducer
{
    /// <summary>Replicas taking part (1 without data parallelism).</summary>
    int WorldSize { get; }

    /// <summary>This replica's index (0 writes checkpoints and logs).</summary>
    int Rank { get; }

    /// <summary>Replaces the gradients by their mean over all replicas.</summary>
    void AverageGradients(Span<float> gradients);

    /// <summary>Sums a few values (loss, correct counts) over replicas, for metrics.</summary>
    void SumMetrics(Span<double> values);
}

/// <summary>The single-process reducer: nothing to exchange.</summary>
public sealed class LocalGradientReducer : IGradientReducer
{
    public static readonly LocalGradientReducer Instance = new();

    public int WorldSize => 1;

    public int Rank => 0;

    public void AverageGradients(Span<float> gradients)
    {
    }

    public void SumMetrics(Span<double> values)
    {
    }
}
