using XceptionCompiler.Generator.Common;

namespace XceptionCompiler.Generator.Syntax.Model
{
    /// <summary>A parsed model file. Immutable and structurally equatable (it flows through the incremental pipeline).</summary>
    internal sealed record ModelSyntax(string FilePath, EquatableArray<StatementSyntax> Statements);
}
