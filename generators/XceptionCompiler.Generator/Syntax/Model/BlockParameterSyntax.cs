using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Syntax.Model
{
    /// <summary>A block parameter with an optional default. Immutable and structurally equatable.</summary>
    internal sealed record BlockParameterSyntax(string Name, ValueSyntax? Default, SourceSpan Span);
}
