namespace XceptionCompiler.Runtime.Training;

/// <summary>What a finished run reports: every epoch's metrics, the best validation accuracy and where its weights are.</summary>
public sealed record TrainingSummary(
    IReadOnlyList<EpochMetrics> Epochs,
    EpochMetrics? Best,
    string? LastCheckpoint,
    TimeSpan Elapsed,
    int SkippedImages);
