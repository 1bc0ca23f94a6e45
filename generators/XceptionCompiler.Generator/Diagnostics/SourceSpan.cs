using System;

namespace XceptionCompiler.Generator.Diagnostics
{
    /// <summary>A place in a model file: character offset and length, plus zero-based line and column of both ends.</summary>
    internal readonly record struct SourceSpan(int Start, int Length, int Line, int Column, int EndLine, int EndColumn)
    {
        public static readonly SourceSpan None = new SourceSpan(0, 0, 0, 0, 0, 0);

        /// <summary>The span from the start of this one to the end of <paramref name="last"/>.</summary>
        public SourceSpan Through(SourceSpan last) =>
            new SourceSpan(Start, Math.Max(0, last.Start + last.Length - Start), Line, Column, last.EndLine, last.EndColumn);

        /// <summary>One-based line, as editors show it.</summary>
        public int DisplayLine => Line + 1;
    }
}
