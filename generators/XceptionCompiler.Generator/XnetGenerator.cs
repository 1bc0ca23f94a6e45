using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator
{
    /// <summary>
    /// Compiles every <c>*.xnet</c> additional file into a network class. This file only wires the incremental
    /// pipeline; the work is in XnetGenerator.Execute.cs. Diagnostics and source are separate outputs, so a
    /// diagnostic never invalidates the source cache.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class XnetGenerator : IIncrementalGenerator
    {
        public const string ParseStep = "XnetParse";
        public const string CompileStep = "XnetCompile";
        public const string DiagnosticsStep = "XnetDiagnostics";
        public const string NetworksStep = "XnetNetworks";
        public const string NamespaceStep = "XnetNamespace";

        /// <summary>Used when the project sets no RootNamespace (or a name that is not a valid namespace).</summary>
        public const string DefaultNamespace = "XceptionCompiler.Models";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<Result<Syntax.Model.ModelSyntax>> parsed = context.AdditionalTextsProvider
                .Where(text => IsModelFile(text.Path))
                .Select((text, cancellation) => Parse(text.Path, text.GetText(cancellation)?.ToString()))
                .WithTrackingName(ParseStep);

            IncrementalValuesProvider<Result<CompiledNetwork>> compiled = parsed
                .Select((result, _) => Compile(result))
                .WithTrackingName(CompileStep);

            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = compiled
                .Select((result, _) => result.Errors)
                .WithTrackingName(DiagnosticsStep);
            context.RegisterSourceOutput(diagnostics, ReportDiagnostics);

            IncrementalValueProvider<string> rootNamespace = context.AnalyzerConfigOptionsProvider
                .Select((options, _) => NamespaceFrom(options.GlobalOptions))
                .WithTrackingName(NamespaceStep);

            IncrementalValueProvider<(ImmutableArray<CompiledNetwork> Networks, string Namespace)> networks = compiled
                .Where(result => result.Value is not null)
                .Select((result, _) => result.Value!)
                .Collect()
                .Combine(rootNamespace)
                .WithTrackingName(NetworksStep);
            context.RegisterSourceOutput(networks, (output, input) => EmitAll(output, input.Networks, input.Namespace));
        }
    }
}
