namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// One node of a compiled network's graph as the model file declared it, before fusion: what summaries print,
/// and what the naive reference interpreter in the tests executes. Shapes are per image (C, H, W).
/// Attributes that do not apply to an op are zero.
/// </summary>
/// <param name="Op">The op keyword: input, conv, depthwise, bn, relu, maxpool, global_avg_pool, dropout, dense, add.</param>
/// <param name="Padding">Top, left, bottom, right.</param>
/// <param name="Tensors">Full names of the tensors the node owns, in checkpoint order.</param>
/// <param name="MultiplyAdds">Multiply-adds per image.</param>
/// <param name="Line">One-based line in the model file.</param>
public sealed record GraphNode(
    int Id,
    string Name,
    string Op,
    int[] Inputs,
    int[] OutputShape,
    int Channels,
    int Kernel,
    int Stride,
    int[] Padding,
    float Epsilon,
    float Momentum,
    float Rate,
    bool Bias,
    string[] Tensors,
    long Parameters,
    long MultiplyAdds,
    int Line);
