using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Generator.Tests.Infrastructure;

/// <summary>Runs the generator over model files in memory, the way the compiler does in a build.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return trusted.Split(Path.PathSeparator)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(ICompiledNetwork).Assembly.Location))
            .ToArray();
    });

    public static CSharpCompilation EmptyCompilation(string source = "namespace Sample { public static class Anchor { } }") =>
        CSharpCompilation.Create(
            "Sample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Anchor.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(params AdditionalText[] models) =>
        CSharpGeneratorDriver.Create(
            [new XnetGenerator().AsSourceGenerator()],
            models,
            new CSharpParseOptions(LanguageVersion.Latest),
            optionsProvider: null,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator over one model file given as text.</summary>
    public static GeneratorRunOutcome Run(string modelText, string path = "models/test.xnet")
    {
        GeneratorDriver driver = CreateDriver(new InMemoryAdditionalText(path, modelText));
        driver = driver.RunGeneratorsAndUpdateCompilation(EmptyCompilation(), out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorRunOutcome(result, output, driverDiagnostics);
    }

    /// <summary>The repository root: the folder holding XceptionCompiler.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "XceptionCompiler.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new DirectoryNotFoundException("XceptionCompiler.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ReadModel(string fileName) => File.ReadAllText(Path.Combine(RepositoryRoot, "models", fileName));
}

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorRunOutcome(GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    /// <summary>Diagnostics the generator reported (XC ids) and any generator crash (CS8785), as the compiler shows them.</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => DriverDiagnostics;

    public ImmutableArray<Exception> Exceptions => Result.Results.Select(r => r.Exception).OfType<Exception>().ToImmutableArray();

    public IReadOnlyDictionary<string, string> Sources => Result.Results
        .SelectMany(r => r.GeneratedSources)
        .ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Errors from compiling the generated code together with the runtime.</summary>
    public ImmutableArray<Diagnostic> CompilationErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
}
