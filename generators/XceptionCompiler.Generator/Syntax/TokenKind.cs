namespace XceptionCompiler.Generator.Syntax
{
    internal enum TokenKind
    {
        Identifier,
        Number,
        Arrow,
        DotDot,
        Colon,
        Comma,
        OpenParen,
        CloseParen,
        OpenBracket,
        CloseBracket,
        Equals,
        Star,
        Semicolon,
        Newline,
        EndOfFile,
        Invalid,
    }
}
