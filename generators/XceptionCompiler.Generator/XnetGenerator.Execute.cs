using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;
using XceptionCompiler.Generator.Emit;
using XceptionCompiler.Generator.Emit.Gpu;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Passes;
using XceptionCompiler.Generator.Plan;
using XceptionCompiler.Generator.Semantics;
using XceptionCompiler.Generator.Syntax;
using XceptionCompiler.Generator.Syntax.Model;

namespace XceptionCompiler.Generator
{
    /// <summary>The generator's work: parse, lower and compile a model file; report; emit.</summary>
    public sealed partial class XnetGenerator
    {
        internal static bool IsModelFile(string path) => path.EndsWith(".xnet", StringComparison.OrdinalIgnoreCase);

        internal static Result<ModelSyntax> Parse(string path, string? text)
        {
            try
            {
                return Parser.Parse(path, text ?? string.Empty);
            }
            catch (Exception exception)
            {
                return new Result<ModelSyntax>(null, new[] { InternalError(path, exception) }.ToEquatableArray());
            }
        }

        /// <summary>Lowers and compiles a parsed file. Syntax errors stop here, so they are not followed by confusing semantic ones.</summary>
        internal static Result<CompiledNetwork> Compile(Result<ModelSyntax> parsed)
        {
            if (parsed.Value is null || parsed.Errors.Count > 0)
            {
                return new Result<CompiledNetwork>(null, parsed.Errors);
            }

            try
            {
                Result<NetworkGraph> lowered = ModelLowering.Lower(parsed.Value);
                CompiledNetwork? network = lowered.Value is null ? null : NetworkCompiler.Compile(lowered.Value);
                return new Result<CompiledNetwork>(network, lowered.Errors);
            }
            catch (Exception exception)
            {
                return new Result<CompiledNetwork>(null, new[] { InternalError(parsed.Value.FilePath, exception) }.ToEquatableArray());
            }
        }

        /// <summary>The generated sources of one network, by hint name.</summary>
        internal static IEnumerable<(string HintName, string Source)> Generate(CompiledNetwork network, string namespaceName)
        {
            var context = new EmitContext(network, namespaceName);
            yield return (network.Graph.Name + ".Layout.g.cs", LayoutEmitter.Emit(context));
            yield return (network.Graph.Name + ".Forward.g.cs", ForwardEmitter.Emit(context));
            yield return (network.Graph.Name + ".Backward.g.cs", BackwardEmitter.Emit(context));
            var kernels = new KernelTable(context);
            yield return (network.Graph.Name + ".Kernels.g.cs", GpuKernelEmitter.Emit(context, kernels));
            yield return (network.Graph.Name + ".Gpu.g.cs", GpuNetworkEmitter.Emit(context, kernels));
        }

        private static void ReportDiagnostics(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        }

        private static void EmitAll(SourceProductionContext output, ImmutableArray<CompiledNetwork> networks, string namespaceName)
        {
            var emitted = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (CompiledNetwork network in networks.OrderBy(n => n.Graph.FilePath, StringComparer.Ordinal))
            {
                if (emitted.TryGetValue(network.Graph.Name, out string firstFile))
                {
                    var duplicate = DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateName, network.Graph.FilePath, SourceSpan.None, "network " + network.Graph.Name, "first in " + firstFile);
                    output.ReportDiagnostic(duplicate.ToDiagnostic());
                    continue;
                }

                emitted.Add(network.Graph.Name, network.Graph.FilePath);
                try
                {
                    foreach ((string hintName, string source) in Generate(network, namespaceName))
                    {
                        output.AddSource(hintName, SourceText.From(source, Encoding.UTF8));
                    }
                }
                catch (Exception exception)
                {
                    output.ReportDiagnostic(InternalError(network.Graph.FilePath, exception).ToDiagnostic());
                }
            }
        }

        private static string NamespaceFrom(AnalyzerConfigOptions options)
        {
            if (options.TryGetValue("build_property.RootNamespace", out string? value) && IsValidNamespace(value))
            {
                return value;
            }

            return DefaultNamespace;
        }

        private static bool IsValidNamespace(string? value) =>
            !string.IsNullOrWhiteSpace(value) && value!.Split('.').All(part => SyntaxFacts.IsValidIdentifier(part) && SyntaxFacts.GetKeywordKind(part) == SyntaxKind.None);

        private static DiagnosticInfo InternalError(string path, Exception exception) =>
            DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, path, SourceSpan.None, exception.GetType().Name + ": " + exception.Message);
    }
}
