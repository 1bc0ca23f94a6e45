namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// What evaluation needs of a network, wherever it runs: the compiled CPU class (<see cref="ICompiledNetwork"/>) or its
/// GPU twin. Validation and <c>xception run</c> drive both through it.
/// </summary>
public interface IInferenceNetwork
{
    /// <summary>The network name declared in the model file.</summary>
    string Name { get; }

    /// <summary>The largest batch one forward takes.</summary>
    int MaxBatch { get; }

    /// <summary>Number of outputs (logits) per image.</summary>
    int OutputSize { get; }

    /// <summary>Evaluation-mode forward: running statistics, no dropout. <paramref name="logits"/> is [batch, OutputSize].</summary>
    void ForwardEval(ReadOnlySpan<float> input, int batch, Span<float> logits);
}
