using System.CommandLine;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Reference.Oracle;
using XceptionCompiler.Runtime.Configuration;

namespace XceptionCompiler.Cli.Tests.Configuration;

/// <summary>
/// <see cref="ConfigOptions"/> on a stand-in `train` command: every key is a flag in both spellings, flags override the
/// -c file, bad flags are parse errors worded as file errors are, and bad files name their line.
/// </summary>
public sealed class ConfigOptionsTests : IDisposable
{
    private static readonly string FashionYaml = Path.Combine(PyTorchOracle.RepositoryRoot, "configs", "xception_fashion_mnist.yaml");
    private static readonly string AscendYaml = Path.Combine(PyTorchOracle.RepositoryRoot, "configs", "xception_ascend.yaml");

    private readonly TempDirectory _temp = new("xception-config");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EveryKeyIsAFlagInBothSpellings()
    {
        var command = TrainCommand();

        Assert.Equal(ConfigKeys.All.Count + 1, command.Options.Count);
        foreach (var key in ConfigKeys.All)
        {
            var option = Assert.Single(command.Options, o => o.Name == key.Flag);
            if (key.Flag != key.UnderscoreFlag)
                Assert.Contains(key.UnderscoreFlag, option.Aliases);
        }
        Assert.Contains("-c", Assert.Single(command.Options, o => o.Name == ConfigOptions.ConfigFlag).Aliases);
    }

    [Fact]
    public void FileThenFlags()
    {
        var config = Read("-c", FashionYaml, "--epoch-size", "2", "--lr", "0.1", "--batch_size", "32", "--scale", "0.5,1.0");

        Assert.Equal(ConfigLoader.Load(FashionYaml) with { EpochSize = 2, Lr = 0.1, BatchSize = 32, Scale = [0.5, 1.0] }, config);
    }

    [Fact]
    public void FlagsWinOverTheFileWhereverTheyStand()
    {
        var config = Read("--lr", "0.2", "--config", AscendYaml, "--use-nesterov");

        Assert.Equal((0.2, true, 32), (config.Lr, config.UseNesterov, config.BatchSize));
    }

    [Theory]
    [InlineData(new[] { "--val-while-train" }, true)]
    [InlineData(new[] { "--val-while-train", "True" }, true)]
    [InlineData(new[] { "--val_while_train", "false" }, false)]
    [InlineData(new[] { "--val-while-train", "--epoch-size", "3" }, true)]
    public void BooleanFlagAloneMeansTrue(string[] args, bool expected)
    {
        var config = Read(["-c", FashionYaml, .. args]);

        Assert.Equal(expected, config.ValWhileTrain);
        Assert.Equal(ConfigLoader.Load(FashionYaml) with { ValWhileTrain = expected, EpochSize = args.Contains("--epoch-size") ? 3 : 10 }, config);
    }

    [Fact]
    public void WithoutAFileTheFallbackOrTheBuiltInDefaults()
    {
        var fashion = ConfigLoader.Load(FashionYaml);

        Assert.Equal(TrainConfig.Default with { Seed = 1 }, Read("--seed", "1"));
        Assert.Equal(fashion with { Seed = 1 }, ConfigOptions.Read(Parse("--seed", "1"), fashion));
    }

    [Theory]
    [InlineData(new[] { "--batch-size", "big" }, "--batch-size: expected an integer, got 'big'")]
    [InlineData(new[] { "--batch_size", "big" }, "--batch_size: expected an integer, got 'big'")]
    [InlineData(new[] { "--scheduler", "cosine_warm" }, "--scheduler: 'cosine_warm' is not one of constant, cosine_decay, warmup_cosine_decay")]
    [InlineData(new[] { "--weight-decay-filter", "some" }, "--weight-decay-filter: 'some' is not one of disable, auto, norm_and_bias")]
    [InlineData(new[] { "--scale", "[0.08]" }, "--scale: expected a list of 2 numbers [min, max], got 1 item")]
    [InlineData(new[] { "--hflip", "2" }, "--hflip: 2 is out of range: must be in [0, 1]")]
    [InlineData(new[] { "--pretrained", "maybe" }, "--pretrained: expected True or False, got 'maybe'")]
    public void BadFlagIsAParseErrorNamingTheFlag(string[] args, string message)
    {
        var parse = Parse(["-c", FashionYaml, .. args]);

        var error = Assert.Single(parse.Errors);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void MistypedFlagIsUnknown()
    {
        var parse = Parse("--bacth-size", "4");

        Assert.Contains(parse.Errors, e => e.Message.Contains("--bacth-size", StringComparison.Ordinal));
    }

    [Fact]
    public void BadFileIsAFailureNamingFileLineAndKey()
    {
        string path = _temp.File("bad.yaml");
        File.WriteAllText(path, "# dataset\nbatch_size: 'big'\nschedular: cosine_decay\n");

        var e = Assert.Throws<CliException>(() => ConfigOptions.Read(Parse("-c", path)));

        Assert.Equal(ExitCodes.Failure, e.ExitCode);
        Assert.Contains($"{path}:2:13: batch_size: expected an integer, got the string 'big'", e.Message);
        Assert.Contains($"{path}:3:1: schedular: unknown key; did you mean 'scheduler'?", e.Message);
    }

    [Fact]
    public void MissingFileIsAFailure()
    {
        string path = _temp.File("missing.yaml");

        var e = Assert.Throws<CliException>(() => ConfigOptions.Read(Parse("--config", path)));

        Assert.Equal((ExitCodes.Failure, $"{path}: no such file"), (e.ExitCode, e.Message));
    }

    [Fact]
    public void HelpShowsFlagsTypesAndDefaults()
    {
        var root = new RootCommand { TrainCommand() };
        using var output = new StringWriter();

        root.Parse(["train", "--help"]).Invoke(new InvocationConfiguration { Output = output });

        string help = output.ToString();
        Assert.Contains("-c, --config <FILE>", help);
        Assert.Matches(@"--batch-size, --batch_size <INT>\s+Images per step", help);
        Assert.Contains("[dataset; default: 128]", help);
        Assert.Contains("--device <auto|cpu|gpu>", help);
        Assert.Contains("--scale <MIN,MAX>", help);
        Assert.Contains("--num-classes, --num_classes <INT|none>", help);
        Assert.Contains("--use-nesterov, --use_nesterov <True|False>", help);
    }

    private static Command TrainCommand()
    {
        var command = new Command("train", "Stand-in for the train command.");
        ConfigOptions.AddTo(command);
        return command;
    }

    private static ParseResult Parse(params string[] args) => TrainCommand().Parse(args);

    private static TrainConfig Read(params string[] args)
    {
        var parse = Parse(args);
        Assert.Empty(parse.Errors);
        return ConfigOptions.Read(parse);
    }
}
