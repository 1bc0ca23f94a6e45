using System;
using System.Globalization;
using System.Text;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>Writes C# text with indentation. Numbers go through <see cref="Literal"/> (invariant culture).</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder builder = new StringBuilder();
        private int indent;

        public CodeWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                builder.Append(' ', indent * 4);
            }

            builder.Append(text).Append('\n');
            return this;
        }

        /// <summary>Writes <c>header</c>, an opening brace, and indents until the returned scope is disposed.</summary>
        public IDisposable Block(string header)
        {
            Line(header);
            Line("{");
            indent++;
            return new Scope(this);
        }

        public override string ToString() => builder.ToString();

        public static string Literal(float value)
        {
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return text + "f";
        }

        public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Bool(bool value) => value ? "true" : "false";

        public static string String(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

        private sealed class Scope : IDisposable
        {
            private readonly CodeWriter writer;

            public Scope(CodeWriter writer) => this.writer = writer;

            public void Dispose()
            {
                writer.indent--;
                writer.Line("}");
            }
        }
    }
}
