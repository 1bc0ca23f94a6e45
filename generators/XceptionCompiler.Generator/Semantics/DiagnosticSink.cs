using System.Collections.Generic;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>
    /// Collects the diagnostics of one model file. A mistake inside a block body, or in an argument a block passes on,
    /// is met once per expansion; it is reported once: a second report with the same id and span is dropped.
    /// </summary>
    internal sealed class DiagnosticSink
    {
        private readonly List<DiagnosticInfo> diagnostics = new List<DiagnosticInfo>();
        private readonly HashSet<(string Id, SourceSpan Span)> reported = new HashSet<(string Id, SourceSpan Span)>();

        public DiagnosticSink(string filePath) => FilePath = filePath;

        public string FilePath { get; }

        public bool HasErrors => diagnostics.Count > 0;

        public void Report(DiagnosticDescriptor descriptor, SourceSpan span, params string[] arguments)
        {
            if (reported.Add((descriptor.Id, span)))
            {
                diagnostics.Add(DiagnosticInfo.Create(descriptor, FilePath, span, arguments));
            }
        }

        public EquatableArray<DiagnosticInfo> ToEquatableArray() => diagnostics.ToEquatableArray();
    }
}
