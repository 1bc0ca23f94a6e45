using System.Collections.Generic;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Syntax
{
    /// <summary>Turns model-file text into tokens. Comments run from '#' to the end of the line.</summary>
    internal sealed class Lexer
    {
        private readonly string text;
        private int position;
        private int line;
        private int lineStart;

        private Lexer(string text) => this.text = text;

        public static List<Token> Tokenize(string text)
        {
            var lexer = new Lexer(text);
            var tokens = new List<Token>();
            Token token;
            do
            {
                token = lexer.Next();
                tokens.Add(token);
            }
            while (token.Kind != TokenKind.EndOfFile);

            return tokens;
        }

        private Token Next()
        {
            SkipSpacesAndComments();
            int start = position;
            int startLine = line;
            int startColumn = position - lineStart;
            if (position >= text.Length)
            {
                return Make(TokenKind.EndOfFile, start, startLine, startColumn);
            }

            char c = text[position];
            if (c == '\n')
            {
                position++;
                Token newline = Make(TokenKind.Newline, start, startLine, startColumn);
                line++;
                lineStart = position;
                return newline;
            }

            if (char.IsDigit(c) || (c == '.' && Peek(1) is char d && char.IsDigit(d)))
            {
                ReadNumber();
                return Make(TokenKind.Number, start, startLine, startColumn);
            }

            if (IsIdentifierStart(c))
            {
                // "3x299": a number directly followed by x and a digit is a dimension separator, not a name.
                bool dimensionSeparator = c == 'x' && start > 0 && char.IsDigit(text[start - 1]) && Peek(1) is char n && char.IsDigit(n);
                position++;
                while (!dimensionSeparator && position < text.Length && IsIdentifierPart(text[position]))
                {
                    position++;
                }

                return Make(TokenKind.Identifier, start, startLine, startColumn);
            }

            if (char.IsHighSurrogate(c) && Peek(1) is char low && char.IsLowSurrogate(low))
            {
                // One character outside the Basic Multilingual Plane (an emoji, say): one invalid token, not two halves.
                position += 2;
                return Make(TokenKind.Invalid, start, startLine, startColumn);
            }

            position++;
            switch (c)
            {
                case '-' when Peek(0) == '>':
                    position++;
                    return Make(TokenKind.Arrow, start, startLine, startColumn);
                case '.' when Peek(0) == '.':
                    position++;
                    return Make(TokenKind.DotDot, start, startLine, startColumn);
                case ':': return Make(TokenKind.Colon, start, startLine, startColumn);
                case ',': return Make(TokenKind.Comma, start, startLine, startColumn);
                case '(': return Make(TokenKind.OpenParen, start, startLine, startColumn);
                case ')': return Make(TokenKind.CloseParen, start, startLine, startColumn);
                case '[': return Make(TokenKind.OpenBracket, start, startLine, startColumn);
                case ']': return Make(TokenKind.CloseBracket, start, startLine, startColumn);
                case '=': return Make(TokenKind.Equals, start, startLine, startColumn);
                case '*': return Make(TokenKind.Star, start, startLine, startColumn);
                case ';': return Make(TokenKind.Semicolon, start, startLine, startColumn);
                default: return Make(TokenKind.Invalid, start, startLine, startColumn);
            }
        }

        private void ReadNumber()
        {
            while (position < text.Length && char.IsDigit(text[position]))
            {
                position++;
            }

            if (Peek(0) == '.' && Peek(1) is char fraction && char.IsDigit(fraction))
            {
                position++;
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }
            }

            if (Peek(0) is 'e' or 'E')
            {
                int exponent = position + 1;
                if (exponent < text.Length && text[exponent] is '+' or '-')
                {
                    exponent++;
                }

                if (exponent < text.Length && char.IsDigit(text[exponent]))
                {
                    position = exponent;
                    while (position < text.Length && char.IsDigit(text[position]))
                    {
                        position++;
                    }
                }
            }
        }

        private void SkipSpacesAndComments()
        {
            while (position < text.Length)
            {
                char c = text[position];
                if (c == '#')
                {
                    while (position < text.Length && text[position] != '\n')
                    {
                        position++;
                    }
                }
                else if (c != '\n' && char.IsWhiteSpace(c))
                {
                    position++;
                }
                else
                {
                    return;
                }
            }
        }

        private char? Peek(int offset) => position + offset < text.Length ? text[position + offset] : (char?)null;

        private Token Make(TokenKind kind, int start, int startLine, int startColumn)
        {
            int end = position;
            var span = new SourceSpan(start, end - start, startLine, startColumn, line, end - lineStart);
            return new Token(kind, text.Substring(start, end - start), span);
        }

        private static bool IsIdentifierStart(char c) => c == '_' || (c < 128 && char.IsLetter(c));

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || (c < 128 && char.IsDigit(c));
    }
}
