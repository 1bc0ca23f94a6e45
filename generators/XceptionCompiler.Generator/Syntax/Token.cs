using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Syntax
{
    internal readonly record struct Token(TokenKind Kind, string Text, SourceSpan Span)
    {
        public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;

        /// <summary>How a token is named in "expected X but found Y" messages.</summary>
        public string Describe() => Kind switch
        {
            TokenKind.EndOfFile => "the end of the file",
            TokenKind.Newline => "the end of the line",
            _ => "'" + Text + "'",
        };
    }
}
