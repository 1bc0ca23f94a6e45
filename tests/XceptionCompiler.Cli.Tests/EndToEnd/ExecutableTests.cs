using XceptionCompiler.Cli.Tests.Infrastructure;

namespace XceptionCompiler.Cli.Tests.EndToEnd;

/// <summary>
/// The built `xception` program as a real process (`dotnet xception.dll ...`), proving the console entry point,
/// its exit codes and the Models module initializer work outside the test host.
/// </summary>
public sealed class ExecutableTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public void SummaryRunsAsAProcess()
    {
        var result = Xception("summary", "--model", "FashionXception");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.StartsWith("FashionXception: input 1 x 28 x 28, 10 outputs", result.Stdout);
        Assert.Contains("Trainable parameters:     188,810", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void UsageErrorExitCodeReachesTheShell()
    {
        var result = Xception("summary", "--model", "NoSuchNet");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        KnownModels.AssertListed(result.Stderr);
    }

    private static CliResult Xception(params string[] args)
    {
        // The test project references the CLI project, so the build copies xception.dll and its runtimeconfig here.
        string dll = Path.Combine(AppContext.BaseDirectory, "xception.dll");
        Assert.True(File.Exists(dll), $"{dll} not found: the CLI project should be built next to the tests");
        return ProcessRunner.Run(ProcessRunner.DotNet, [dll, .. args], AppContext.BaseDirectory, Timeout);
    }
}
