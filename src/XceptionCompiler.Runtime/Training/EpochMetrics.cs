namespace XceptionCompiler.Runtime.Training;

/// <summary>What one epoch achieved. Validation figures are null when the epoch was not validated.</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainTop1,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond,
    double? ValidationTop1,
    double? ValidationTop5,
    double? ValidationLoss,
    string? Checkpoint);
