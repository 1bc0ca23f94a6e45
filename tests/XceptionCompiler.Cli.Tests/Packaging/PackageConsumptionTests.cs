using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace XceptionCompiler.Cli.Tests.Packaging;

/// <summary>
/// The XceptionCompiler package as a user consumes it: packed from the repository, referenced by a new project
/// outside the tree, whose model files the packaged generator compiles; a broken model file fails that build with a
/// diagnostic at the right place. Slow (a pack and three builds, about a minute), hence the category.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageConsumptionTests : IClassFixture<PackedPackage>
{
    private readonly PackedPackage _package;

    public PackageConsumptionTests(PackedPackage package) => _package = package;

    [Fact]
    public void PackageHoldsRuntimeGeneratorAndBuildFilesAndOnlyItsLibraryDependencies()
    {
        using var zip = ZipFile.OpenRead(_package.NupkgPath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        string[] expected =
        [
            "lib/net10.0/XceptionCompiler.Runtime.dll",
            "analyzers/dotnet/cs/XceptionCompiler.Generator.dll",
            "build/XceptionCompiler.props",
            "build/XceptionCompiler.targets",
            "buildTransitive/XceptionCompiler.props",
            "buildTransitive/XceptionCompiler.targets",
        ];
        foreach (var entry in expected)
            Assert.True(entries.Contains(entry), $"{_package.NupkgPath} has no {entry}; it holds: {string.Join(", ", entries.Order())}");
        // The generator runs inside the compiler, which brings Roslyn; no package may be pulled in with it.
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal) && !e.EndsWith("XceptionCompiler.Generator.dll", StringComparison.Ordinal));
        var nuspec = XDocument.Load(zip.GetEntry($"{PackedPackage.PackageId}.nuspec")!.Open());
        Assert.Equal(_package.Version, nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value);
        // The runtime's own libraries (images, YAML recipes, TensorPrimitives) and nothing else.
        string[] dependencies = nuspec.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(["ILGPU", "SkiaSharp", "SkiaSharp.NativeAssets.Linux.NoDependencies", "System.Numerics.Tensors", "YamlDotNet"], dependencies);
    }

    [Fact]
    public void SampleProjectBuildsAndTrainsAStep()
    {
        var sample = new SampleProject(_package, "sample");
        var clock = Stopwatch.StartNew();

        var build = sample.Build();
        Assert.True(build.ExitCode == 0, $"dotnet build of {sample.Directory} failed: {build}");
        var run = sample.Run();
        Assert.True(run.ExitCode == 0, $"dotnet run in {sample.Directory} failed: {run}");

        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["logits 6", $"parameters {SampleProject.SampleNetParameters}", "finite True", "gradients True", "extra outputs 2"],
            lines);
        // Models/sample.xnet is listed by the project and matched by the package's **/*.xnet: it must appear once.
        string[] models = [sample.ModelPath, Path.Combine(sample.Directory, "extra.xnet")];
        Assert.Equal(models.Order(StringComparer.Ordinal), sample.AdditionalFiles().Order(StringComparer.Ordinal));
        // The restore must have taken the package just packed, into the sample's own package folder.
        Assert.True(Directory.Exists(Path.Combine(_package.Packages, PackedPackage.PackageId.ToLowerInvariant(), _package.Version)),
            $"package {_package.Version} was not restored into {_package.Packages}");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"build and run took {clock.Elapsed}");
    }

    [Fact]
    public void MisspeltOpFailsTheBuildWithXC0002AtTheModelFileLine()
    {
        var sample = new SampleProject(_package, "broken");
        sample.MisspellStemOp();

        var build = sample.Build();

        Assert.True(build.ExitCode != 0, $"dotnet build of a model file with 'convv' succeeded: {build}");
        var location = Regex.Escape($"{sample.ModelPath}({SampleProject.StemLine},{SampleProject.StemColumn})");
        Assert.Matches($"{location}: error XC0002: Unknown op or block 'convv'", build.Stdout);
    }
}
