using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Syntax.Model
{
    /// <summary>An argument's value: a literal, a name, or a chain of layers. Immutable and structurally equatable.</summary>
    internal abstract record ExpressionSyntax(SourceSpan Span);

    /// <summary>A literal or a name: <c>3</c>, <c>0.5</c>, <c>true</c>, <c>same</c>, <c>c</c>.</summary>
    internal abstract record ValueSyntax(SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary>A number as written; <see cref="IsInteger"/> when it has no fraction or exponent.</summary>
    internal sealed record NumberSyntax(double Value, bool IsInteger, string Text, SourceSpan Span) : ValueSyntax(Span);

    /// <summary>An identifier in value position: a block parameter, a keyword (valid, same) or a boolean.</summary>
    internal sealed record NameSyntax(string Name, SourceSpan Span) : ValueSyntax(Span);

    /// <summary><c>item -> item -> ...</c></summary>
    internal sealed record ChainSyntax(EquatableArray<ItemSyntax> Items, SourceSpan Span) : ExpressionSyntax(Span);

    /// <summary>One call argument, positional (<see cref="Name"/> null) or named.</summary>
    internal sealed record ArgumentSyntax(string? Name, SourceSpan NameSpan, ExpressionSyntax Value, SourceSpan Span);
}
