namespace XceptionCompiler.Runtime.Training;

/// <summary>A training run cannot go on: bad configuration for the trainer, an unusable resume state, or divergence.</summary>
public class TrainingException(string message) : Exception(message);

/// <summary>The loss became NaN or infinite; the message names the step and the last good checkpoint.</summary>
public sealed class TrainingDivergedException(string message) : TrainingException(message);
