using XceptionCompiler.Runtime.Configuration;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Configuration;

/// <summary>How YAML values become typed values: the spellings MindCV's files use all work.</summary>
public sealed class YamlValueTests
{
    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData("False", false)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    public void BooleansInEitherCase(string text, bool expected)
    {
        // distribute defaults to False and drop_remainder to True, so one of the two always changes.
        Assert.Equal(expected, Parse($"distribute: {text}").Distribute);
        Assert.Equal(expected, Parse($"drop_remainder: {text}").DropRemainder);
    }

    [Theory]
    [InlineData("model: xception")]
    [InlineData("model: 'xception'")]
    [InlineData("model: \"xception\"")]
    [InlineData("model: !!str xception")]
    public void StringsQuotedOrNot(string line)
    {
        Assert.Equal("xception", Parse(line).Model);
    }

    [Fact]
    public void EmptyQuotedStringIsEmpty()
    {
        Assert.Equal("", Parse("ckpt_path: ''").CkptPath);
        Assert.Equal("", Parse("data_dir: \"\"").DataDir);
    }

    [Theory]
    [InlineData("weight_decay: 0.00001", 1e-5)]
    [InlineData("weight_decay: 1e-5", 1e-5)]
    [InlineData("weight_decay: 1.0e-05", 1e-5)]
    [InlineData("weight_decay: 0", 0.0)]
    [InlineData("weight_decay: .5", 0.5)]
    public void NumbersInEveryNotation(string line, double expected)
    {
        Assert.Equal(expected, Parse(line).WeightDecay);
    }

    [Fact]
    public void ListsInFlowAndBlockStyle()
    {
        Assert.Equal([0.08, 1.0], Parse("scale: [0.08, 1.0]").Scale);
        Assert.Equal([0.08, 1.0], Parse("scale: [ 0.08, 1 ]").Scale);
        Assert.Equal([0.08, 1.0], Parse("scale:\n  - 0.08\n  - 1.0").Scale);
        Assert.Equal([30, 40, 50], Parse("multi_step_decay_milestones: [30, 40, 50]").MultiStepDecayMilestones);
    }

    [Fact]
    public void ColorJitterTakesOneNumberOrAList()
    {
        Assert.Equal([0.4], Parse("color_jitter: 0.4").ColorJitter);
        Assert.Equal([0.4, 0.4, 0.4], Parse("color_jitter: [0.4, 0.4, 0.4]").ColorJitter);
    }

    [Theory]
    [InlineData("num_classes:")]
    [InlineData("num_classes: ~")]
    [InlineData("num_classes: null")]
    [InlineData("num_classes: None")]
    public void NullInEverySpelling(string line)
    {
        Assert.Null(Parse("num_classes: 10\n" + line.Replace("num_classes", "num_samples")).NumSamples);
        Assert.Null(Parse(line).NumClasses);
    }

    [Fact]
    public void OptionalValuesTakeValuesToo()
    {
        var config = Parse("num_classes: 10\ndrop_rate: 0.2\nauto_augment: randaug-m9-mstd0.5-inc1\nre_value: random");

        Assert.Equal((10, 0.2, "randaug-m9-mstd0.5-inc1", "random"), (config.NumClasses, config.DropRate, config.AutoAugment, config.ReValue));
    }

    [Fact]
    public void CommentsAndBlankLinesAreIgnored()
    {
        var config = Parse("# system\n\nseed: 7  # lucky\n\n# dataset\nbatch_size: 8\n");

        Assert.Equal((7, 8), (config.Seed, config.BatchSize));
    }

    [Fact]
    public void AnEmptyFileIsAllDefaults()
    {
        Assert.Equal(TrainConfig.Default, Parse(""));
        Assert.Equal(TrainConfig.Default, Parse("# nothing set yet\n"));
    }

    [Fact]
    public void FileValuesOverTheDefaultsGiven()
    {
        var baseline = TrainConfig.Default with { BatchSize = 8, Lr = 0.5 };

        var config = ConfigLoader.Parse("lr: 0.1\n", "test.yaml", baseline);

        Assert.Equal(baseline with { Lr = 0.1 }, config);
    }

    private static TrainConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "test.yaml");
}
