namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// A named float32 tensor with its shape: what <see cref="SafeTensorsWriter"/> writes and <see cref="SafeTensorsFile.Read"/> returns.
/// <paramref name="Data"/> may be a slice of a larger buffer (a network's parameters), so saving copies nothing.
/// </summary>
public sealed record SafeTensor(string Name, int[] Shape, ReadOnlyMemory<float> Data)
{
    public SafeTensor(string name, int[] shape, float[] data) : this(name, shape, data.AsMemory())
    {
    }

    /// <summary>The shape as PyTorch prints it.</summary>
    public string ShapeText => SafeTensorInfo.FormatShape(Shape);
}
