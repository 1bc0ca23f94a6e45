namespace XceptionCompiler.Cli.Tests.Infrastructure;

/// <summary>Runs the `xception` command in-process through its public entry point, capturing both streams.</summary>
public static class XceptionCommand
{
    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = XceptionCli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs and fails the test, showing the output, unless the exit code is <paramref name="expected"/>.</summary>
    public static CliResult Expect(int expected, params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == expected, $"xception {string.Join(' ', args)}: expected exit code {expected}, got {result}");
        return result;
    }
}
