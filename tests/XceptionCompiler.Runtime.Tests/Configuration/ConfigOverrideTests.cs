using XceptionCompiler.Runtime.Configuration;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Configuration;

/// <summary>Command-line values over a file: they win, they are checked as file values are, and errors name the flag.</summary>
public sealed class ConfigOverrideTests
{
    private static readonly TrainConfig Recipe = ConfigLoader.Load(ShippedConfigs.Ascend);

    [Fact]
    public void OverridesWinOverTheFile()
    {
        var config = ConfigLoader.Apply(Recipe, Overrides(
            ("--batch-size", "16"), ("--lr", "0.0225"), ("--use_nesterov", "True"), ("--scale", "0.5,1.0"), ("model", "fashion_xception")));

        Assert.Equal(16, config.BatchSize);
        Assert.Equal(0.0225, config.Lr);
        Assert.True(config.UseNesterov);
        Assert.Equal([0.5, 1.0], config.Scale);
        Assert.Equal("fashion_xception", config.Model);
        // Everything not overridden keeps the file's value.
        Assert.Equal(Recipe with { BatchSize = 16, Lr = 0.0225, UseNesterov = true, Scale = [0.5, 1.0], Model = "fashion_xception" }, config);
    }

    [Fact]
    public void NoOverridesLeaveTheConfigAlone()
    {
        Assert.Equal(Recipe, ConfigLoader.Apply(Recipe, Overrides()));
    }

    [Theory]
    [InlineData("--scale", "[0.25, 0.75]", new[] { 0.25, 0.75 })]
    [InlineData("--scale", "0.25, 0.75", new[] { 0.25, 0.75 })]
    [InlineData("--mean", "72.94", new[] { 72.94 })]
    [InlineData("--color-jitter", "0.3", new[] { 0.3 })]
    [InlineData("--color-jitter", "0.1,0.2,0.3,0.05", new[] { 0.1, 0.2, 0.3, 0.05 })]
    public void ListsAreCommaSeparatedWithOptionalBrackets(string flag, string text, double[] expected)
    {
        var config = ConfigLoader.Apply(TrainConfig.Default, Overrides((flag, text)));

        var key = ConfigKeys.Find(flag[2..].Replace('-', '_'))!;
        Assert.Equal(expected, (IEnumerable<double>)key.GetValue(config)!);
    }

    [Fact]
    public void EmptyListAndNullAndEmptyString()
    {
        var config = ConfigLoader.Apply(Recipe, Overrides(
            ("--multi-step-decay-milestones", "[]"), ("--auto-augment", "none"), ("--num-classes", "null"), ("--ckpt-path", "")));

        Assert.Empty(config.MultiStepDecayMilestones);
        Assert.Null(config.AutoAugment);
        Assert.Null(config.NumClasses);
        Assert.Equal("", config.CkptPath);
    }

    [Theory]
    [InlineData("--batch-size", "big", "--batch-size: expected an integer, got 'big'")]
    [InlineData("--batch_size", "big", "--batch_size: expected an integer, got 'big'")]
    [InlineData("batch_size", "big", "--batch-size: expected an integer, got 'big'")]
    [InlineData("--scale", "0.08", "--scale: expected a list of 2 numbers [min, max], got 1 item")]
    [InlineData("--scheduler", "cosine_warm", "--scheduler: 'cosine_warm' is not one of constant, cosine_decay, warmup_cosine_decay, exponential_decay, polynomial_decay, step_decay, multi_step_decay, one_cycle, cyclic")]
    [InlineData("--weight-decay-filter", "some", "--weight-decay-filter: 'some' is not one of disable, auto, norm_and_bias")]
    [InlineData("--distribute", "perhaps", "--distribute: expected True or False, got 'perhaps'")]
    [InlineData("--epoch-size", "0", "--epoch-size: 0 is out of range: must be >= 1")]
    [InlineData("--model", "", "--model: must not be empty")]
    [InlineData("--bacth-size", "4", "--bacth-size: unknown option; did you mean '--batch-size'?")]
    [InlineData("--lr-min", "0", "--lr-min: unknown option; did you mean '--min-lr'?")]
    public void ErrorsNameTheFlag(string flag, string text, string message)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Apply(Recipe, Overrides((flag, text))));

        Assert.Equal(message, e.Message);
        var problem = Assert.Single(e.Problems);
        Assert.Null(problem.Line);
        Assert.True(e.IsCommandLine);
    }

    [Fact]
    public void OptionsAreCaseInsensitiveAndKeptInCanonicalSpelling()
    {
        // MindCV's own files write opt: 'SGD' and loss: "ce"; its factories lower-case them.
        var config = ConfigLoader.Apply(TrainConfig.Default, Overrides(("--opt", "SGD"), ("--loss", "ce"), ("--amp-level", "o3"), ("--device", "GPU")));

        Assert.Equal(("sgd", "CE", "O3", "gpu"), (config.Opt, config.Loss, config.AmpLevel, config.Device));
    }

    private static Dictionary<string, string> Overrides(params (string Flag, string Text)[] values) =>
        values.ToDictionary(v => v.Flag, v => v.Text);
}
