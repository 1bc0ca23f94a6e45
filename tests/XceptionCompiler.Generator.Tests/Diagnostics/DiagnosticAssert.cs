using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using XceptionCompiler.Generator.Tests.Infrastructure;

namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// Runs the generator over one model file with one mistake and checks what a user would see: one error, with its id,
/// at a 1-based line and column of the model file, saying the right words, and no generated source.
/// </summary>
internal static class DiagnosticAssert
{
    public const string ModelPath = "models/test.xnet";

    /// <summary>Asserts exactly one diagnostic, an error <paramref name="id"/> starting at <paramref name="line"/>:<paramref name="column"/> (1-based).</summary>
    public static Diagnostic Single(string model, string id, int line, int column, params string[] messageWords)
    {
        ImmutableArray<Diagnostic> diagnostics = Run(model, out GeneratorRunOutcome outcome);

        Assert.True(
            diagnostics.Length == 1,
            $"expected exactly one diagnostic ({id} at {line}:{column}) but got {diagnostics.Length}:\n{Describe(diagnostics)}\n--- model ---\n{model}");
        Diagnostic diagnostic = diagnostics[0];
        Assert.Equal($"{id} Error {ModelPath}:{line}:{column}", Where(diagnostic));
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        foreach (string word in messageWords)
        {
            Assert.True(message.Contains(word, StringComparison.Ordinal), $"the message of {id} should contain \"{word}\" but is: {message}");
        }

        Assert.True(outcome.Sources.Count == 0, "a model file with an error must generate no source, but got: " + string.Join(", ", outcome.Sources.Keys));
        return diagnostic;
    }

    /// <summary>Runs the generator and returns its diagnostics (the harness's GeneratorDiagnostics also appends the driver's copies, so it lists each twice).</summary>
    public static ImmutableArray<Diagnostic> Run(string model, out GeneratorRunOutcome outcome)
    {
        outcome = GeneratorHarness.Run(model, ModelPath);
        Assert.True(outcome.Exceptions.IsEmpty, "the generator threw: " + string.Join("\n", outcome.Exceptions));
        return outcome.Result.Diagnostics;
    }

    /// <summary>"XC0004 Error models/test.xnet:3:15": id, severity and 1-based start of a diagnostic.</summary>
    public static string Where(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} {diagnostic.Severity} {span.Path}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}";
    }

    public static string Describe(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => "  " + Where(d) + " " + d.GetMessage(CultureInfo.InvariantCulture)));

    /// <summary>A model file from its lines, so a test reads line numbers off the list.</summary>
    public static string Lines(params string[] lines) => string.Join("\n", lines);
}
