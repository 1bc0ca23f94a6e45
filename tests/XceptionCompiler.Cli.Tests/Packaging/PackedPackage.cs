using System.Diagnostics;
using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Reference.Oracle;

namespace XceptionCompiler.Cli.Tests.Packaging;

/// <summary>
/// The XceptionCompiler package, packed once per test class with `dotnet pack src/XceptionCompiler.Runtime` into a
/// temp feed. The version is unique and the sample projects restore into a package folder of their own, so a package
/// cached by an earlier run can never stand in for this one. Intermediate and output files go to a temp artifacts
/// folder, never into the source tree that other builds use.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public const string PackageId = "XceptionCompiler";

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    public PackedPackage()
    {
        Version = $"0.1.0-test{DateTime.UtcNow:yyyyMMddHHmmss}{Guid.NewGuid().ToString("N")[..6]}";
        Root = new TempDirectory("xception-pack");
        Directory.CreateDirectory(Feed);
        var clock = Stopwatch.StartNew();
        string project = Path.Combine(PyTorchOracle.RepositoryRoot, "src", "XceptionCompiler.Runtime");
        var result = ProcessRunner.Run(ProcessRunner.DotNet,
            ["pack", project, "-c", "Release", "-o", Feed, "--artifacts-path", Root.File("artifacts"), $"-p:Version={Version}", "--disable-build-servers"],
            Root.Path, PackTimeout);
        PackTime = clock.Elapsed;
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dotnet pack {project} failed: {result}");
        NupkgPath = Path.Combine(Feed, $"{PackageId}.{Version}.nupkg");
        if (!File.Exists(NupkgPath))
            throw new InvalidOperationException($"dotnet pack succeeded but {NupkgPath} is missing; the feed holds: {string.Join(", ", Directory.GetFiles(Feed).Select(Path.GetFileName))}");
    }

    public string Version { get; }

    public TempDirectory Root { get; }

    /// <summary>The folder the package was packed into: a local NuGet source.</summary>
    public string Feed => Root.File("feed");

    /// <summary>A global packages folder that starts empty, shared by the samples of this class.</summary>
    public string Packages => Root.File("packages");

    public string NupkgPath { get; }

    public TimeSpan PackTime { get; }

    public void Dispose() => Root.Dispose();
}
