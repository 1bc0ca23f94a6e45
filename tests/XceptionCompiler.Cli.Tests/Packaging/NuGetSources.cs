using XceptionCompiler.Cli.Tests.Infrastructure;

namespace XceptionCompiler.Cli.Tests.Packaging;

/// <summary>The package sources this machine's NuGet configuration enables, so a sample can restore as a user here would.</summary>
public static class NuGetSources
{
    /// <summary>Used when the configuration lists none, as NuGet itself would.</summary>
    public const string NuGetOrg = "https://api.nuget.org/v3/index.json";

    /// <summary>Enabled sources from `dotnet nuget list source --format Short` run in <paramref name="directory"/> (lines "E &lt;url&gt;").</summary>
    public static IReadOnlyList<string> Enabled(string directory)
    {
        var result = ProcessRunner.Run(ProcessRunner.DotNet, ["nuget", "list", "source", "--format", "Short"], directory, TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dotnet nuget list source failed: {result}");
        var sources = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("E ", StringComparison.Ordinal))
            .Select(l => l[2..].Trim())
            .ToList();
        return sources.Count > 0 ? sources : [NuGetOrg];
    }
}
