namespace XceptionCompiler.Runtime.Data;

/// <summary>One operation of a sub-policy: applied with <paramref name="Probability"/> at <paramref name="Magnitude"/> (0..10).</summary>
public sealed record AugmentStep(AugmentOp Op, double Probability, double Magnitude);
