namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// One tensor entry of a safetensors header: its element type, shape, and where its bytes lie
/// (<paramref name="DataBegin"/> and <paramref name="DataEnd"/> are relative to the data section, as in the header's <c>data_offsets</c>).
/// </summary>
public sealed record SafeTensorInfo(string Name, SafeTensorsDType DType, int[] Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of elements (1 for a scalar, whose shape is empty).</summary>
    public long ElementCount => ShapeElements(Shape);

    /// <summary>The shape as PyTorch prints it, e.g. (32, 3, 3, 3).</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Product of the dimensions, checked for overflow.</summary>
    public static long ShapeElements(IEnumerable<int> shape) => shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Formats a shape the way PyTorch prints it: () for a scalar, (n,) for a vector.</summary>
    public static string FormatShape(IReadOnlyCollection<int> shape) =>
        "(" + string.Join(", ", shape) + (shape.Count == 1 ? ",)" : ")");
}
