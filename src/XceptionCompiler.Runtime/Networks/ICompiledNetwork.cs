namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// The contract every generated network class implements. All memory is allocated in the constructor:
/// one flat parameter buffer, one flat gradient buffer of the same layout, a statistics buffer for
/// batch-norm running statistics, and one activation arena sized by the compiler's memory plan for
/// <see cref="MaxBatch"/> images. A step allocates nothing.
/// Tensors are NCHW float32.
/// </summary>
public interface ICompiledNetwork : IInferenceNetwork
{
    /// <summary>Input shape of one image: channels, height, width.</summary>
    int[] InputShape { get; }

    /// <summary>Every named tensor, in checkpoint (timm state_dict) order.</summary>
    IReadOnlyList<NetworkTensor> Tensors { get; }

    /// <summary>The unfused graph in topological order (node 0 is the input, the last node the output).</summary>
    IReadOnlyList<GraphNode> Graph { get; }

    /// <summary>Trainable parameters, laid out as <see cref="Tensors"/> says.</summary>
    float[] Parameters { get; }

    /// <summary>Gradients, same layout as <see cref="Parameters"/>. Backward accumulates into it.</summary>
    float[] Gradients { get; }

    /// <summary>Batch-norm running means and variances.</summary>
    float[] Statistics { get; }

    /// <summary>Floats in the activation arena (for maxBatch images).</summary>
    long ArenaFloats { get; }

    /// <summary>
    /// Floats at the start of the arena that <see cref="ForwardEval"/> uses (for maxBatch images): its plan keeps nothing
    /// for <see cref="Backward"/>, so inference leaves the rest of the arena untouched and never resident.
    /// </summary>
    long EvalArenaFloats { get; }

    /// <summary>When false, dropout is the identity in training mode too (used by cross-framework checks).</summary>
    bool DropoutEnabled { get; set; }

    /// <summary>Seed of the counter-based dropout masks; the mask of a step depends on (seed, step, element) only.</summary>
    ulong DropoutSeed { get; set; }

    /// <summary>
    /// Training-mode forward: batch statistics, running-statistics update, dropout. Records what
    /// <see cref="Backward"/> needs. <paramref name="input"/> is [batch, C, H, W]; <paramref name="logits"/> is [batch, OutputSize].
    /// </summary>
    void ForwardTrain(ReadOnlySpan<float> input, int batch, Span<float> logits);

    /// <summary>
    /// Backward pass of the last <see cref="ForwardTrain"/>: accumulates parameter gradients into
    /// <see cref="Gradients"/> and writes the input gradient when <paramref name="inputGradient"/> is not empty.
    /// </summary>
    void Backward(ReadOnlySpan<float> logitsGradient, Span<float> inputGradient);

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Training-mode forwards taken so far; with <see cref="DropoutSeed"/> it selects the dropout masks.</summary>
    long Step { get; set; }
}
