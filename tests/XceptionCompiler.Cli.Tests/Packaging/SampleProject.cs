using System.Security;
using System.Text.Json;
using XceptionCompiler.Cli.Tests.Infrastructure;

namespace XceptionCompiler.Cli.Tests.Packaging;

/// <summary>
/// A brand-new console project outside the repository, as a user would write it: a PackageReference to
/// XceptionCompiler, its own model files and a Program.cs that trains one step. One model file is listed explicitly
/// (the package's targets must not add it a second time); the other is picked up by the package's **/*.xnet default.
/// </summary>
public sealed class SampleProject
{
    /// <summary>Where the model file declares the stem's op: the line and column XC0002 must point at when it is misspelt.</summary>
    public const int StemLine = 5, StemColumn = 7;

    /// <summary>
    /// SampleNet's trainable parameters, by hand: stem 8x1x3x3 = 72, stembn 2x8 = 16, sep depthwise 8x1x3x3 = 72 and
    /// pointwise 16x8x1x1 = 128, sepbn 2x16 = 32, fc 3x16 + 3 = 51.
    /// </summary>
    public const int SampleNetParameters = 371;

    private const string ModelFile = """
        # A small network for the packaging test: the layers a new user starts with.
        network SampleNet
        input 1 x 8 x 8

        stem: conv(8, k=3, pad=1) -> stembn: bn -> relu
        sep: separable(16) -> sepbn: bn -> relu
        global_avg_pool -> fc: dense(3)

        """;

    private const string ExtraModelFile = """
        network ExtraNet
        input 1 x 4 x 4
        global_avg_pool -> fc: dense(2)

        """;

    private const string Program = """
        using SampleApp;

        var net = new SampleNet(2);
        var input = new float[2 * SampleNet.InputFloats];
        for (int i = 0; i < input.Length; i++)
            input[i] = MathF.Sin(0.37f * i);
        var logits = new float[2 * net.OutputSize];
        net.DropoutEnabled = false;
        net.ZeroGradients();
        net.ForwardTrain(input, 2, logits);
        var logitsGradient = new float[logits.Length];
        Array.Fill(logitsGradient, 1f);
        net.Backward(logitsGradient, Span<float>.Empty);
        Console.WriteLine($"logits {logits.Length}");
        Console.WriteLine($"parameters {net.Parameters.Length}");
        Console.WriteLine($"finite {logits.All(float.IsFinite)}");
        Console.WriteLine($"gradients {net.Gradients.Any(g => g != 0)}");
        Console.WriteLine($"extra outputs {new ExtraNet(1).OutputSize}");

        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly PackedPackage _package;

    public SampleProject(PackedPackage package, string name)
    {
        _package = package;
        Directory = package.Root.File(name);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "Models"));
        // Stops MSBuild's search for Directory.Build.* and central package files in the folders above the temp folder.
        File.WriteAllText(Path.Combine(Directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Directory, "NuGet.config"), NuGetConfig(NuGetSources.Enabled(package.Root.Path)));
        File.WriteAllText(Path.Combine(Directory, "SampleApp.csproj"), ProjectFile());
        File.WriteAllText(ModelPath, ModelFile);
        File.WriteAllText(Path.Combine(Directory, "extra.xnet"), ExtraModelFile);
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), Program);
    }

    public string Directory { get; }

    public string ModelPath => Path.Combine(Directory, "Models", "sample.xnet");

    public CliResult Build() => DotNet("build", "--disable-build-servers");

    public CliResult Run() => DotNet("run", "--no-build");

    /// <summary>The full paths of the project's AdditionalFiles items, as MSBuild evaluates them.</summary>
    public IReadOnlyList<string> AdditionalFiles()
    {
        var result = DotNet("msbuild", "-getItem:AdditionalFiles");
        Assert.True(result.ExitCode == 0, $"dotnet msbuild -getItem:AdditionalFiles in {Directory} failed: {result}");
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("Items").GetProperty("AdditionalFiles").EnumerateArray()
            .Select(item => item.GetProperty("FullPath").GetString()!)
            .ToList();
    }

    /// <summary>Misspells the stem's op (conv -> convv), an unknown op: XC0002.</summary>
    public void MisspellStemOp()
    {
        string text = File.ReadAllText(ModelPath);
        Assert.Contains("stem: conv(", text);
        File.WriteAllText(ModelPath, text.Replace("stem: conv(", "stem: convv(", StringComparison.Ordinal));
    }

    private CliResult DotNet(params string[] args) =>
        ProcessRunner.Run(ProcessRunner.DotNet, args, Directory, Timeout,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = _package.Packages });

    private string ProjectFile() => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <RestorePackagesPath>{Xml(_package.Packages)}</RestorePackagesPath>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="{PackedPackage.PackageId}" Version="{_package.Version}" />
            <AdditionalFiles Include="Models/sample.xnet" />
          </ItemGroup>
        </Project>

        """;

    /// <summary>The packed feed first; the package under test may come from it only, everything else from the machine's sources.</summary>
    private string NuGetConfig(IReadOnlyList<string> sources)
    {
        var keys = sources.Select((_, i) => $"source{i + 1}").ToList();
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Xml(_package.Packages)}" />
              </config>
              <packageSources>
                <clear />
                <add key="xceptioncompiler-test" value="{Xml(_package.Feed)}" />
            {string.Concat(sources.Select((s, i) => $"    <add key=\"{keys[i]}\" value=\"{Xml(s)}\" />\n"))}  </packageSources>
              <packageSourceMapping>
                <packageSource key="xceptioncompiler-test">
                  <package pattern="{PackedPackage.PackageId}" />
                </packageSource>
            {string.Concat(keys.Select(k => $"    <packageSource key=\"{k}\">\n      <package pattern=\"*\" />\n    </packageSource>\n"))}  </packageSourceMapping>
            </configuration>

            """;
    }

    private static string Xml(string text) => SecurityElement.Escape(text);
}
