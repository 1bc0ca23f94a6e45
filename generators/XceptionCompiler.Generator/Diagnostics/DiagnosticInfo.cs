using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using XceptionCompiler.Generator.Common;

namespace XceptionCompiler.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as a value: descriptor id, message arguments and a place in a model file.
    /// Equatable (unlike <see cref="Diagnostic"/>), so it can travel through the incremental pipeline.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, EquatableArray<string> Arguments, string FilePath, SourceSpan Span)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, string filePath, SourceSpan span, params string[] arguments) =>
            new DiagnosticInfo(descriptor.Id, arguments.ToEquatableArray(), filePath, span);

        public Diagnostic ToDiagnostic()
        {
            var location = Location.Create(
                FilePath,
                new TextSpan(Span.Start, Span.Length),
                new LinePositionSpan(new LinePosition(Span.Line, Span.Column), new LinePosition(Span.EndLine, Span.EndColumn)));
            object[] args = new object[Arguments.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = Arguments[i];
            }

            return Diagnostic.Create(DiagnosticDescriptors.ById(Id), location, args);
        }

        /// <summary>The message with its arguments filled in (for tests and the CLI).</summary>
        public string Message
        {
            get
            {
                object[] args = new object[Arguments.Count];
                for (int i = 0; i < args.Length; i++)
                {
                    args[i] = Arguments[i];
                }

                return string.Format(System.Globalization.CultureInfo.InvariantCulture, DiagnosticDescriptors.ById(Id).MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), args);
            }
        }
    }
}
