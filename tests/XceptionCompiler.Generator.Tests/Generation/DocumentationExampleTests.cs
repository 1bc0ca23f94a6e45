using System.Text.RegularExpressions;
using XceptionCompiler.Generator.Tests.Infrastructure;

namespace XceptionCompiler.Generator.Tests.Generation;

/// <summary>The model files shown in README.md compile: documentation that a user copies must not lie.</summary>
public sealed partial class DocumentationExampleTests
{
    [Fact]
    public void TheReadmeModelFileCompilesWithoutDiagnostics()
    {
        string readme = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot, "README.md"));
        Match example = ModelBlock().Match(readme);
        Assert.True(example.Success, "README.md has no ``` block starting with '# models/<name>.xnet'");

        GeneratorRunOutcome outcome = GeneratorHarness.Run(example.Groups["model"].Value, "models/" + example.Groups["file"].Value);

        Assert.Empty(outcome.Result.Diagnostics);
        Assert.Equal(5, outcome.Sources.Count);
        Assert.True(outcome.CompilationErrors.IsEmpty, string.Join("\n", outcome.CompilationErrors.Take(5)));
    }

    [GeneratedRegex(@"```\n(?<model># models/(?<file>\w+\.xnet)\n.*?)```", RegexOptions.Singleline)]
    private static partial Regex ModelBlock();
}
