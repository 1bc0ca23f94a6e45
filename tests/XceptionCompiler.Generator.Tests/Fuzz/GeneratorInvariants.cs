using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using XceptionCompiler.Generator.Tests.Infrastructure;

namespace XceptionCompiler.Generator.Tests.Fuzz;

/// <summary>
/// What must hold for any model file, however broken. The generator throws nothing, never fails (CS8784/CS8785) and
/// never reports an internal error (XC9999). Then either it reports XC errors, each placed inside the model file, and
/// generates no source; or it reports nothing and generates well-formed C# that compiles.
/// </summary>
internal static class GeneratorInvariants
{
    public const string ModelPath = "models/fuzz.xnet";

    private static readonly string[] GeneratorFailures = ["CS8784", "CS8785", "XC9999"];

    /// <summary>
    /// Compile errors the unmutated models' generated code already has. Another engineer may be changing a runtime
    /// signature the emitter calls; that is tested elsewhere, so the fuzz test only fails on errors a mutation introduced.
    /// Empty whenever the generated code compiles, and then the compile check is at full strength.
    /// </summary>
    private static readonly Lazy<HashSet<string>> KnownCompileErrors = new(() =>
        new[] { "tiny.xnet", "fashion_xception.xnet", "xception.xnet" }
            .SelectMany(file => GeneratedCodeErrors(GeneratorHarness.Run(GeneratorHarness.ReadModel(file), ModelPath)))
            .Select(Key)
            .ToHashSet(StringComparer.Ordinal));

    /// <summary>Runs the generator on a thread-pool thread (a compiler's stack, not the test's), failing after <paramref name="limit"/>.</summary>
    public static async Task<GeneratorRunOutcome> RunBounded(string text, TimeSpan limit) =>
        await Task.Run(() => GeneratorHarness.Run(text, ModelPath)).WaitAsync(limit);

    /// <summary>The invariants <paramref name="outcome"/> breaks; empty when all hold. <paramref name="compile"/> also compiles the generated code (slow).</summary>
    public static List<string> Check(string text, GeneratorRunOutcome outcome, bool compile)
    {
        var problems = new List<string>();
        problems.AddRange(outcome.Exceptions.Select(exception => "the generator threw " + exception));
        ImmutableArray<Diagnostic> diagnostics = outcome.Result.Diagnostics;
        problems.AddRange(diagnostics.Where(d => GeneratorFailures.Contains(d.Id)).Select(d => "the generator failed: " + d));
        problems.AddRange(diagnostics.Where(d => !d.Id.StartsWith("XC", StringComparison.Ordinal) && !GeneratorFailures.Contains(d.Id)).Select(d => "unexpected diagnostic " + d));

        List<Diagnostic> errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("XC", StringComparison.Ordinal)).ToList();
        if (errors.Count > 0)
        {
            var lines = new LineStarts(text);
            problems.AddRange(errors.Select(error => lines.Misplacement(error)).OfType<string>());
            if (outcome.Sources.Count > 0)
            {
                problems.Add("source was generated despite errors: " + string.Join(", ", outcome.Sources.Keys));
            }
        }
        else if (problems.Count == 0)
        {
            problems.AddRange(GeneratedCodeProblems(outcome, compile));
        }

        return problems;
    }

    private static IEnumerable<string> GeneratedCodeProblems(GeneratorRunOutcome outcome, bool compile)
    {
        if (outcome.Sources.Count == 0)
        {
            yield return "no error was reported, but no source was generated";
            yield break;
        }

        foreach (SyntaxTree tree in GeneratedTrees(outcome.Output))
        {
            foreach (Diagnostic error in tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5))
            {
                yield return "generated code is not well-formed C#: " + error;
            }
        }

        if (compile)
        {
            foreach (Diagnostic error in GeneratedCodeErrors(outcome).Where(e => !KnownCompileErrors.Value.Contains(Key(e))).Take(5))
            {
                yield return "generated code does not compile: " + error;
            }
        }
    }

    private static IEnumerable<Diagnostic> GeneratedCodeErrors(GeneratorRunOutcome outcome)
    {
        var generated = GeneratedTrees(outcome.Output).ToHashSet();
        return outcome.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generated.Contains(tree));
    }

    private static IEnumerable<SyntaxTree> GeneratedTrees(Compilation compilation) =>
        compilation.SyntaxTrees.Where(tree => tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal));

    private static string Key(Diagnostic diagnostic) => diagnostic.Id + ": " + diagnostic.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>Where each line of the model file starts, lines ending at '\n' as the generator's lexer counts them.</summary>
    private sealed class LineStarts
    {
        private readonly List<int> starts = [0];
        private readonly int length;

        public LineStarts(string text)
        {
            length = text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    starts.Add(i + 1);
                }
            }
        }

        /// <summary>Why <paramref name="diagnostic"/> is not a place in the model file, or null when it is.</summary>
        public string? Misplacement(Diagnostic diagnostic)
        {
            FileLinePositionSpan lines = diagnostic.Location.GetLineSpan();
            TextSpan span = diagnostic.Location.SourceSpan;
            LinePosition start = lines.StartLinePosition;
            LinePosition end = lines.EndLinePosition;
            string? problem =
                lines.Path != ModelPath ? "is in '" + lines.Path + "', not the model file"
                : start.Line >= starts.Count || end.Line >= starts.Count ? "is past the last line (" + starts.Count + ")"
                : end < start ? "ends before it starts"
                : span.End > length ? "ends past the end of the file (" + length + " characters)"
                : starts[start.Line] + start.Character != span.Start ? "starts at character " + span.Start + " but at line/column " + (start.Line + 1) + ":" + (start.Character + 1)
                : starts[end.Line] + end.Character != span.End ? "ends at character " + span.End + " but at line/column " + (end.Line + 1) + ":" + (end.Character + 1)
                : null;
            return problem is null ? null : diagnostic.Id + " at " + lines + " " + problem + ": " + diagnostic.GetMessage(CultureInfo.InvariantCulture);
        }
    }
}
