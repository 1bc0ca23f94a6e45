namespace XceptionCompiler.Generator.Plan
{
    /// <summary>
    /// A buffer in the activation arena: the output of a node (<see cref="Gradient"/> false) or its gradient.
    /// Offset and size are in floats per image; the arena scales them by the maximum batch.
    /// </summary>
    internal readonly record struct Allocation(int Value, bool Gradient, long Offset, long Size, int FirstUse, int LastUse);
}
