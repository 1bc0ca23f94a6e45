using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Syntax.Model
{
    /// <summary>The core of a chain item. Immutable and structurally equatable.</summary>
    internal abstract record PrimarySyntax(SourceSpan Span);

    /// <summary>An op or block call: <c>conv(32, k=3)</c>, or <c>relu</c> with no parentheses (<see cref="HasParentheses"/> false).</summary>
    internal sealed record CallSyntax(string Name, SourceSpan NameSpan, EquatableArray<ArgumentSyntax> Arguments, bool HasParentheses, SourceSpan Span) : PrimarySyntax(Span);

    /// <summary><c>[a, b, c]</c>: a sequence whose unlabeled elements are numbered by position, like nn.Sequential.</summary>
    internal sealed record ListSyntax(EquatableArray<ChainSyntax> Elements, SourceSpan Span) : PrimarySyntax(Span);

    /// <summary><c>(a -> b)</c>: grouping, typically for repetition.</summary>
    internal sealed record GroupSyntax(ChainSyntax Chain, SourceSpan Span) : PrimarySyntax(Span);
}
