using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Models;

namespace XceptionCompiler.Cli.Tests.Commands;

/// <summary>`xception models` and the command line's own usage errors.</summary>
public sealed class ModelsCommandTests
{
    [Fact]
    public void ListsEveryCompiledNetworkWithInputAndParameters()
    {
        var result = XceptionCommand.Expect(ExitCodes.Ok, "models");

        var lines = result.Stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(KnownModels.Names.Count + 1, lines.Length);
        Assert.Equal(KnownModels.Names, lines.Skip(1).Select(l => l.Split(' ')[0]));
        Assert.Matches(@"^FashionXception\s+1 x 28 x 28\s+10\s+188,810\s", Row(lines, "FashionXception"));
        // Tiny changes as ops are added to it; its count comes from the generator's constant.
        Assert.Matches($@"^Tiny\s+2 x 9 x 9\s+3\s+{Tiny.TrainableCount:N0}\s", Row(lines, "Tiny"));
        Assert.Matches(@"^Xception\s+3 x 299 x 299\s+1000\s+22,855,952\s+8\.36 G$", Row(lines, "Xception"));
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "summary", "--model", "Tiny", "--bogus" }, "--bogus")]
    public void ParseErrorsExitWithTwo(string[] args, string mentioned)
    {
        var result = XceptionCommand.Expect(ExitCodes.Usage, args);

        Assert.Contains(mentioned, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void HelpListsTheCommands()
    {
        var result = XceptionCommand.Expect(ExitCodes.Ok, "--help");

        Assert.Contains("summary", result.Stdout);
        Assert.Contains("run", result.Stdout);
        Assert.Contains("models", result.Stdout);
    }

    private static string Row(string[] lines, string model) => Assert.Single(lines, l => l.StartsWith(model + " ", StringComparison.Ordinal));
}
