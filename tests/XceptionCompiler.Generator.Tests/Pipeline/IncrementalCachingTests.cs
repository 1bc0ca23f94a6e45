using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using XceptionCompiler.Generator.Tests.Infrastructure;

namespace XceptionCompiler.Generator.Tests.Pipeline;

/// <summary>Editing unrelated C# reruns nothing; editing the model file reruns the compile step.</summary>
public sealed class IncrementalCachingTests
{
    private static readonly string[] TrackedSteps =
    [
        XnetGenerator.ParseStep, XnetGenerator.CompileStep, XnetGenerator.DiagnosticsStep, XnetGenerator.NetworksStep, XnetGenerator.NamespaceStep,
    ];

    [Fact]
    public void EditingAnUnrelatedCSharpFileRerunsNothing()
    {
        var model = new InMemoryAdditionalText("models/tiny.xnet", GeneratorHarness.ReadModel("tiny.xnet"));
        GeneratorDriver driver = GeneratorHarness.CreateDriver(model);
        CSharpCompilation compilation = GeneratorHarness.EmptyCompilation();
        driver = driver.RunGenerators(compilation);

        CSharpCompilation edited = compilation
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Sample { public static class Unrelated { public static int Answer => 42; } }", path: "Unrelated.cs"))
            .Clone();
        driver = driver.RunGenerators(edited);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string stepName in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(stepName), "step not tracked: " + stepName);
            foreach (IncrementalGeneratorRunStep step in result.TrackedSteps[stepName])
            {
                foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {stepName} reran ({reason}) after an unrelated C# edit");
                }
            }
        }
    }

    [Fact]
    public void EditingTheModelFileRerunsTheCompileStep()
    {
        string text = GeneratorHarness.ReadModel("tiny.xnet");
        var original = new InMemoryAdditionalText("models/tiny.xnet", text);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(original);
        CSharpCompilation compilation = GeneratorHarness.EmptyCompilation();
        driver = driver.RunGenerators(compilation);

        var changed = new InMemoryAdditionalText("models/tiny.xnet", text.Replace("dense(5)", "dense(7)", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(original, changed).RunGenerators(compilation);

        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        IncrementalStepRunReason reason = result.TrackedSteps[XnetGenerator.CompileStep].Single().Outputs.Single().Reason;
        Assert.Equal(IncrementalStepRunReason.Modified, reason);
        Assert.Contains("new[] { 7, 6 }", result.GeneratedSources.Single(s => s.HintName == "Tiny.Layout.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ReparsingUnchangedTextGivesAnEqualModel()
    {
        string text = GeneratorHarness.ReadModel("xception.xnet");
        var first = XnetGenerator.Compile(XnetGenerator.Parse("models/xception.xnet", text));
        var second = XnetGenerator.Compile(XnetGenerator.Parse("models/xception.xnet", text));

        Assert.NotNull(first.Value);
        Assert.NotSame(first.Value, second.Value);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }
}
