using System.Globalization;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>A value during block expansion: what an argument or block parameter evaluates to.</summary>
    internal abstract record Value(SourceSpan Span)
    {
        public abstract string Describe();
    }

    internal sealed record NumberValue(double Number, bool IsInteger, SourceSpan Span) : Value(Span)
    {
        public override string Describe() => Number.ToString(CultureInfo.InvariantCulture);
    }

    internal sealed record BoolValue(bool Flag, SourceSpan Span) : Value(Span)
    {
        public override string Describe() => Flag ? "true" : "false";
    }

    /// <summary>A keyword such as valid or same.</summary>
    internal sealed record KeywordValue(string Keyword, SourceSpan Span) : Value(Span)
    {
        public override string Describe() => Keyword;
    }
}
