using XceptionCompiler.Generator.Tests.Infrastructure;

namespace XceptionCompiler.Generator.Tests.Generation;

/// <summary>The generated source of the tiny network, which uses every op and fusion, against golden files.</summary>
public sealed class GoldenSourceTests
{
    public static TheoryData<string> GeneratedFiles => new() { "Tiny.Layout.g.cs", "Tiny.Forward.g.cs", "Tiny.Backward.g.cs", "Tiny.Kernels.g.cs", "Tiny.Gpu.g.cs" };

    [Theory]
    [MemberData(nameof(GeneratedFiles))]
    public void TinyNetworkMatchesGoldenFile(string hintName)
    {
        GeneratorRunOutcome outcome = GeneratorHarness.Run(GeneratorHarness.ReadModel("tiny.xnet"), "models/tiny.xnet");

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.True(outcome.Sources.ContainsKey(hintName), "generated files: " + string.Join(", ", outcome.Sources.Keys));
        GoldenFile.Verify(hintName, outcome.Sources[hintName]);
    }

    [Theory]
    [InlineData("tiny.xnet")]
    [InlineData("fashion_xception.xnet")]
    [InlineData("xception.xnet")]
    public void GeneratedSourceCompilesAgainstTheRuntime(string model)
    {
        GeneratorRunOutcome outcome = GeneratorHarness.Run(GeneratorHarness.ReadModel(model), "models/" + model);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Equal(5, outcome.Sources.Count);
        Assert.True(outcome.CompilationErrors.IsEmpty, string.Join("\n", outcome.CompilationErrors.Take(10)));
    }

    [Fact]
    public void EmittedFloatLiteralsIgnoreTheCurrentCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            GeneratorRunOutcome outcome = GeneratorHarness.Run(GeneratorHarness.ReadModel("tiny.xnet"), "models/tiny.xnet");
            Assert.Contains("0.001f", outcome.Sources["Tiny.Forward.g.cs"]);
            Assert.DoesNotContain("0,001f", outcome.Sources["Tiny.Forward.g.cs"]);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
