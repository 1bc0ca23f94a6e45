namespace XceptionCompiler.Generator.Plan
{
    /// <summary>
    /// Per step, whether its backward adds to (true) or overwrites (false) the gradients of its input and of its
    /// residual operand. The first writer in backward order overwrites, so no gradient buffer needs clearing.
    /// </summary>
    internal readonly record struct GradientFlags(bool AccumulateInput, bool AccumulateResidual);
}
