using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.IR
{
    /// <summary>
    /// One node of the graph IR: an op applied to earlier nodes' outputs, with its inferred output shape.
    /// <see cref="Name"/> is the module path (e.g. block1.rep.0.pointwise) or null for unnamed parameter-free ops.
    /// Immutable and structurally equatable.
    /// </summary>
    internal sealed record Node(int Id, Op Op, EquatableArray<int> Inputs, Shape Output, string? Name, EquatableArray<ParameterSpec> Parameters, SourceSpan Span)
    {
        public string DisplayName => Name ?? Op.Keyword;
    }
}
