using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Syntax.Model
{
    /// <summary>One top-level statement of a model file. Immutable and structurally equatable.</summary>
    internal abstract record StatementSyntax(SourceSpan Span);

    /// <summary><c>network Name</c></summary>
    internal sealed record NetworkStatement(string Name, SourceSpan NameSpan, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>input C x H x W</c></summary>
    internal sealed record InputStatement(EquatableArray<NumberSyntax> Dimensions, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>option name = value</c></summary>
    internal sealed record OptionStatement(string Name, SourceSpan NameSpan, ValueSyntax Value, SourceSpan Span) : StatementSyntax(Span);

    /// <summary><c>block name(p1, p2 = default) = chain</c></summary>
    internal sealed record BlockStatement(string Name, SourceSpan NameSpan, EquatableArray<BlockParameterSyntax> Parameters, ChainSyntax Body, SourceSpan Span) : StatementSyntax(Span);

    /// <summary>A chain of layers continuing the network from the previous statement.</summary>
    internal sealed record LayerStatement(ChainSyntax Chain, SourceSpan Span) : StatementSyntax(Span);
}
