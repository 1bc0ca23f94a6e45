using System;
using System.Collections.Generic;
using System.Globalization;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;
using XceptionCompiler.Generator.Syntax.Model;

namespace XceptionCompiler.Generator.Syntax
{
    /// <summary>
    /// Recursive-descent parser for the model language (grammar in docs/language.md).
    /// A syntax error skips to the end of its statement, so one mistake gives one diagnostic.
    /// </summary>
    internal sealed class Parser
    {
        /// <summary>How deep brackets may nest; deeper input is an error, not a stack overflow.</summary>
        public const int MaxNesting = 64;

        private readonly List<Token> tokens;
        private readonly string filePath;
        private readonly List<DiagnosticInfo> diagnostics = new List<DiagnosticInfo>();
        private readonly bool[] unclosed;
        private readonly List<int> openBrackets = new List<int>();
        private int index;

        private Parser(string filePath, string text)
        {
            this.filePath = filePath;
            tokens = Lexer.Tokenize(text);
            unclosed = FindUnclosedBrackets(tokens);
        }

        public static Result<ModelSyntax> Parse(string filePath, string text)
        {
            var parser = new Parser(filePath, text);
            var statements = parser.ParseStatements();
            return new Result<ModelSyntax>(
                new ModelSyntax(filePath, statements.ToEquatableArray()),
                parser.diagnostics.ToEquatableArray());
        }

        private Token Current => tokens[index];

        private List<StatementSyntax> ParseStatements()
        {
            var statements = new List<StatementSyntax>();
            while (true)
            {
                SkipStatementSeparators();
                if (Current.Kind == TokenKind.EndOfFile)
                {
                    return statements;
                }

                try
                {
                    statements.Add(ParseStatement());
                    if (Current.Kind is not (TokenKind.Newline or TokenKind.Semicolon or TokenKind.EndOfFile))
                    {
                        throw Expected("the end of the statement");
                    }
                }
                catch (SyntaxErrorException error)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SyntaxError, filePath, error.Span, error.Message));
                    openBrackets.Clear();
                    SkipToStatementEnd();
                }
            }
        }

        private StatementSyntax ParseStatement()
        {
            Token first = Current;
            // A keyword followed by a name, a number or nothing starts a declaration; followed by ':' or '(' it is a label or a call.
            if (first.Kind == TokenKind.Identifier && Peek(1).Kind is TokenKind.Identifier or TokenKind.Number or TokenKind.Newline or TokenKind.Semicolon or TokenKind.EndOfFile)
            {
                switch (first.Text)
                {
                    case "network":
                        Advance();
                        Token name = ExpectKind(TokenKind.Identifier, "a network name");
                        return new NetworkStatement(name.Text, name.Span, first.Span.Through(name.Span));
                    case "input":
                        return ParseInput();
                    case "option":
                        return ParseOption();
                    case "block":
                        return ParseBlock();
                }
            }

            ChainSyntax chain = ParseChain(allowLineContinuation: true);
            return new LayerStatement(chain, chain.Span);
        }

        private InputStatement ParseInput()
        {
            Token keyword = Advance();
            var dimensions = new List<NumberSyntax> { ParseNumber("the number of input channels") };
            while (Current.Is(TokenKind.Identifier, "x"))
            {
                Advance();
                dimensions.Add(ParseNumber("an input size"));
            }

            return new InputStatement(dimensions.ToEquatableArray(), keyword.Span.Through(dimensions[dimensions.Count - 1].Span));
        }

        private OptionStatement ParseOption()
        {
            Token keyword = Advance();
            Token name = ExpectKind(TokenKind.Identifier, "an option name");
            ExpectKind(TokenKind.Equals, "'='");
            ValueSyntax value = ParseValue();
            return new OptionStatement(name.Text, name.Span, value, keyword.Span.Through(value.Span));
        }

        private BlockStatement ParseBlock()
        {
            Token keyword = Advance();
            Token name = ExpectKind(TokenKind.Identifier, "a block name");
            var parameters = new List<BlockParameterSyntax>();
            if (Current.Kind == TokenKind.OpenParen)
            {
                EnterBracket();
                while (!AtClose(TokenKind.CloseParen))
                {
                    Token parameter = ExpectKind(TokenKind.Identifier, "a parameter name");
                    ValueSyntax? defaultValue = null;
                    if (Current.Kind == TokenKind.Equals)
                    {
                        Advance();
                        defaultValue = ParseValue();
                    }

                    parameters.Add(new BlockParameterSyntax(parameter.Text, defaultValue, defaultValue is null ? parameter.Span : parameter.Span.Through(defaultValue.Span)));
                    ExpectSeparator(TokenKind.CloseParen, "',' or ')'");
                }

                LeaveBracket();
            }

            ExpectKind(TokenKind.Equals, "'=' before the block body");
            SkipNewlines();
            ChainSyntax body = ParseChain(allowLineContinuation: true);
            return new BlockStatement(name.Text, name.Span, parameters.ToEquatableArray(), body, keyword.Span.Through(body.Span));
        }

        private ChainSyntax ParseChain(bool allowLineContinuation)
        {
            var items = new List<ItemSyntax> { ParseItem() };
            while (true)
            {
                if (allowLineContinuation && Current.Kind == TokenKind.Newline && NextAfterNewlines().Kind == TokenKind.Arrow)
                {
                    SkipNewlines();
                }

                if (Current.Kind != TokenKind.Arrow)
                {
                    break;
                }

                Advance();
                SkipNewlines();
                items.Add(ParseItem());
            }

            return new ChainSyntax(items.ToEquatableArray(), items[0].Span.Through(items[items.Count - 1].Span));
        }

        private ItemSyntax ParseItem()
        {
            Token start = Current;
            LabelSyntax? label = null;
            if (Current.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.Colon)
            {
                Token name = Advance();
                label = new LabelSyntax(name.Text, null, name.Span);
                Advance();
            }
            else if (Current.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.DotDot)
            {
                Token first = Advance();
                Advance();
                Token last = ExpectKind(TokenKind.Identifier, "the last name of the range");
                ExpectKind(TokenKind.Colon, "':' after the label range");
                label = new LabelSyntax(first.Text, last.Text, first.Span.Through(last.Span));
            }

            PrimarySyntax primary = ParsePrimary();
            SourceSpan end = primary.Span;
            NumberSyntax? repeat = null;
            if (Current.Kind == TokenKind.Star)
            {
                Advance();
                repeat = ParseNumber("a repeat count");
                end = repeat.Span;
            }

            ConditionSyntax? condition = null;
            if (Current.Is(TokenKind.Identifier, "if"))
            {
                Token keyword = Advance();
                bool negated = false;
                if (Current.Is(TokenKind.Identifier, "not"))
                {
                    Advance();
                    negated = true;
                }

                Token flag = ExpectKind(TokenKind.Identifier, "a flag name after 'if'");
                condition = new ConditionSyntax(flag.Text, negated, keyword.Span.Through(flag.Span));
                end = flag.Span;
            }

            return new ItemSyntax(label, primary, repeat, condition, start.Span.Through(end));
        }

        private PrimarySyntax ParsePrimary()
        {
            Token start = Current;
            switch (start.Kind)
            {
                case TokenKind.OpenBracket:
                {
                    EnterBracket();
                    var elements = new List<ChainSyntax>();
                    while (!AtClose(TokenKind.CloseBracket))
                    {
                        elements.Add(ParseChain(allowLineContinuation: false));
                        ExpectSeparator(TokenKind.CloseBracket, "',' or ']'");
                    }

                    Token close = LeaveBracket();
                    return new ListSyntax(elements.ToEquatableArray(), start.Span.Through(close.Span));
                }

                case TokenKind.OpenParen:
                {
                    EnterBracket();
                    ThrowIfEndOfFile("')'");
                    ChainSyntax chain = ParseChain(allowLineContinuation: false);
                    int lineBreak = index;
                    SkipNewlines();
                    if (Current.Kind != TokenKind.CloseParen)
                    {
                        throw UnclosedOrExpected("')'", lineBreak);
                    }

                    Token close = LeaveBracket();
                    return new GroupSyntax(chain, start.Span.Through(close.Span));
                }

                case TokenKind.Identifier:
                    return ParseCall();

                default:
                    throw Expected("an op, a block call, '[' or '('");
            }
        }

        private CallSyntax ParseCall()
        {
            Token name = Advance();
            if (Current.Kind != TokenKind.OpenParen)
            {
                return new CallSyntax(name.Text, name.Span, EquatableArray<ArgumentSyntax>.Empty, false, name.Span);
            }

            EnterBracket();
            var arguments = new List<ArgumentSyntax>();
            while (!AtClose(TokenKind.CloseParen))
            {
                arguments.Add(ParseArgument());
                ExpectSeparator(TokenKind.CloseParen, "',' or ')'");
            }

            Token close = LeaveBracket();
            return new CallSyntax(name.Text, name.Span, arguments.ToEquatableArray(), true, name.Span.Through(close.Span));
        }

        private ArgumentSyntax ParseArgument()
        {
            if (Current.Kind == TokenKind.Identifier && Peek(1).Kind == TokenKind.Equals)
            {
                Token name = Advance();
                Advance();
                ValueSyntax value = ParseValue();
                return new ArgumentSyntax(name.Text, name.Span, value, name.Span.Through(value.Span));
            }

            if (Current.Kind == TokenKind.Number)
            {
                NumberSyntax number = ParseNumber("a number");
                return new ArgumentSyntax(null, number.Span, number, number.Span);
            }

            ChainSyntax chain = ParseChain(allowLineContinuation: false);
            return new ArgumentSyntax(null, chain.Span, chain, chain.Span);
        }

        private ValueSyntax ParseValue()
        {
            if (Current.Kind == TokenKind.Number)
            {
                return ParseNumber("a number");
            }

            Token name = ExpectKind(TokenKind.Identifier, "a value (a number or a name)");
            return new NameSyntax(name.Text, name.Span);
        }

        private NumberSyntax ParseNumber(string what)
        {
            Token token = ExpectKind(TokenKind.Number, what);
            bool isInteger = token.Text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;
            if (!double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || double.IsInfinity(value))
            {
                throw new SyntaxErrorException("'" + token.Text + "' is not a usable number", token.Span);
            }

            return new NumberSyntax(value, isInteger, token.Text, token.Span);
        }

        /// <summary>Enters the bracket at the current token (and the line breaks after it).</summary>
        private void EnterBracket()
        {
            if (openBrackets.Count == MaxNesting)
            {
                throw new SyntaxErrorException("Brackets nest more than " + MaxNesting + " deep", Current.Span);
            }

            openBrackets.Add(index);
            Advance();
            SkipNewlines();
        }

        /// <summary>Leaves the innermost bracket at its closing token.</summary>
        private Token LeaveBracket()
        {
            openBrackets.RemoveAt(openBrackets.Count - 1);
            return Advance();
        }

        /// <summary>Whether the innermost bracket closes here; the end of the file means it never does.</summary>
        private bool AtClose(TokenKind close)
        {
            ThrowIfEndOfFile(close == TokenKind.CloseParen ? "')'" : "']'");
            return Current.Kind == close;
        }

        private void ThrowIfEndOfFile(string what)
        {
            if (Current.Kind == TokenKind.EndOfFile)
            {
                throw UnclosedOrExpected(what, index);
            }
        }

        /// <summary>After an element inside brackets: ',' and any line breaks after it, or the closing token (left for the caller).</summary>
        private void ExpectSeparator(TokenKind close, string what)
        {
            int lineBreak = index;
            SkipNewlines();
            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
                SkipNewlines();
            }
            else if (Current.Kind != close)
            {
                throw UnclosedOrExpected(what, lineBreak);
            }
        }

        /// <summary>
        /// The error for a missing separator or closing token. When the innermost bracket has no match anywhere in the
        /// file and the parser has run past a line break (or reached the end of the file), the mistake is the unclosed
        /// bracket: the error points at it, and when every open bracket is unclosed, parsing resumes at that line break,
        /// so the next line is still read as a statement of its own.
        /// </summary>
        private SyntaxErrorException UnclosedOrExpected(string what, int lineBreak)
        {
            int innermost = openBrackets[openBrackets.Count - 1];
            bool pastLineEnd = index > lineBreak || Current.Kind == TokenKind.EndOfFile;
            if (!unclosed[innermost] || !pastLineEnd)
            {
                return Expected(what);
            }

            if (openBrackets.TrueForAll(open => unclosed[open]) && tokens[lineBreak].Kind == TokenKind.Newline)
            {
                index = lineBreak;
            }

            Token bracket = tokens[innermost];
            return new SyntaxErrorException("'" + bracket.Text + "' is never closed", bracket.Span);
        }

        private Token ExpectKind(TokenKind kind, string what)
        {
            if (Current.Kind != kind)
            {
                throw Expected(what);
            }

            return Advance();
        }

        private SyntaxErrorException Expected(string what)
        {
            Token found = Current;
            string message = found.Kind == TokenKind.Invalid
                ? "Unexpected character '" + found.Text + "'; expected " + what
                : "Expected " + what + " but found " + found.Describe();
            return new SyntaxErrorException(message, found.Span);
        }

        private Token Advance()
        {
            Token token = tokens[index];
            if (index < tokens.Count - 1)
            {
                index++;
            }

            return token;
        }

        private Token Peek(int offset) => tokens[Math.Min(index + offset, tokens.Count - 1)];

        private Token NextAfterNewlines()
        {
            int i = index;
            while (tokens[i].Kind == TokenKind.Newline)
            {
                i++;
            }

            return tokens[i];
        }

        private void SkipNewlines()
        {
            while (Current.Kind == TokenKind.Newline)
            {
                Advance();
            }
        }

        private void SkipStatementSeparators()
        {
            while (Current.Kind is TokenKind.Newline or TokenKind.Semicolon)
            {
                Advance();
            }
        }

        private void SkipToStatementEnd()
        {
            // Skip the rest of the statement, including bracketed continuation lines.
            int depth = 0;
            while (Current.Kind != TokenKind.EndOfFile)
            {
                TokenKind kind = Current.Kind;
                if (kind is TokenKind.OpenParen or TokenKind.OpenBracket)
                {
                    depth++;
                }
                else if (kind is TokenKind.CloseParen or TokenKind.CloseBracket)
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if ((kind == TokenKind.Newline && depth == 0 && NextAfterNewlines().Kind != TokenKind.Arrow) || kind == TokenKind.Semicolon)
                {
                    return;
                }

                Advance();
            }
        }

        /// <summary>Marks each '(' and '[' that no later ')' or ']' closes, matching brackets the way an editor does.</summary>
        private static bool[] FindUnclosedBrackets(List<Token> tokens)
        {
            var unclosed = new bool[tokens.Count];
            var open = new Stack<int>();
            int openParens = 0;
            int openSquare = 0;
            for (int i = 0; i < tokens.Count; i++)
            {
                TokenKind kind = tokens[i].Kind;
                if (kind is TokenKind.OpenParen or TokenKind.OpenBracket)
                {
                    open.Push(i);
                    unclosed[i] = true;
                    if (kind == TokenKind.OpenParen)
                    {
                        openParens++;
                    }
                    else
                    {
                        openSquare++;
                    }
                }
                else if ((kind == TokenKind.CloseParen && openParens > 0) || (kind == TokenKind.CloseBracket && openSquare > 0))
                {
                    // Brackets of the other kind opened inside this pair stay unclosed.
                    TokenKind opening = kind == TokenKind.CloseParen ? TokenKind.OpenParen : TokenKind.OpenBracket;
                    int match;
                    do
                    {
                        match = open.Pop();
                        if (tokens[match].Kind == TokenKind.OpenParen)
                        {
                            openParens--;
                        }
                        else
                        {
                            openSquare--;
                        }
                    }
                    while (tokens[match].Kind != opening);
                    unclosed[match] = false;
                }
            }

            return unclosed;
        }

        private sealed class SyntaxErrorException : Exception
        {
            public SyntaxErrorException(string message, SourceSpan span)
                : base(message) => Span = span;

            public SourceSpan Span { get; }
        }
    }
}
