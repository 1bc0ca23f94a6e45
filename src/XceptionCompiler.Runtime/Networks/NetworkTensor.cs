namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// One named tensor of a compiled network: a slice of <see cref="ICompiledNetwork.Parameters"/> (trainable)
/// or of <see cref="ICompiledNetwork.Statistics"/> (batch-norm running statistics).
/// Names and shapes follow timm's state_dict, so checkpoints move to and from PyTorch unchanged.
/// </summary>
public sealed record NetworkTensor(string Name, TensorRole Role, int Offset, int[] Shape)
{
    /// <summary>Number of floats in the tensor.</summary>
    public int Length { get; } = Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>True when the tensor lives in the parameter buffer (and has a gradient).</summary>
    public bool Trainable => Role.IsTrainable();

    /// <summary>The shape as PyTorch prints it, e.g. (32, 3, 3, 3).</summary>
    public string ShapeText => "(" + string.Join(", ", Shape) + (Shape.Length == 1 ? ",)" : ")");
}
