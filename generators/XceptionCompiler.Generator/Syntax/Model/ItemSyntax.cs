using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Syntax.Model
{
    /// <summary>
    /// One step of a chain: <c>[label:] primary [* count] [if [not] flag]</c>.
    /// Immutable and structurally equatable.
    /// </summary>
    internal sealed record ItemSyntax(LabelSyntax? Label, PrimarySyntax Primary, NumberSyntax? Repeat, ConditionSyntax? Condition, SourceSpan Span);

    /// <summary><c>name:</c> or a range <c>block4..block11:</c>.</summary>
    internal sealed record LabelSyntax(string First, string? Last, SourceSpan Span)
    {
        public string Text => Last is null ? First : First + ".." + Last;
    }

    /// <summary><c>if flag</c> or <c>if not flag</c>.</summary>
    internal sealed record ConditionSyntax(string Flag, bool Negated, SourceSpan Span);
}
