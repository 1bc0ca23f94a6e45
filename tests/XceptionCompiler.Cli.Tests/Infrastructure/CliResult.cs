namespace XceptionCompiler.Cli.Tests.Infrastructure;

/// <summary>What one `xception` invocation left behind: its exit code and both streams.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>For assertion messages: everything the command said.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
