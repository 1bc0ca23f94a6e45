using XceptionCompiler.Runtime.Configuration;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Configuration;

/// <summary>Every bad file gives a <see cref="ConfigException"/> naming the file, the key and the line and column at fault.</summary>
public sealed class ConfigErrorTests
{
    private const string File = "configs/bad.yaml";

    [Fact]
    public void UnknownKeySuggestsTheClosestKey()
    {
        var problem = Single("batch_size: 32\nbacth_size: 64\n");

        Assert.Equal(new ConfigProblem(File, "bacth_size", 2, 1, "unknown key; did you mean 'batch_size'?"), problem);
        Assert.Equal("configs/bad.yaml:2:1: bacth_size: unknown key; did you mean 'batch_size'?", problem.ToString());
    }

    [Theory]
    [InlineData("lr_min", "min_lr")]
    [InlineData("Batch_Size", "batch_size")]
    [InlineData("label-smoothing", "label_smoothing")]
    [InlineData("weight_decy", "weight_decay")]
    public void SuggestionsCatchCommonSlips(string written, string meant)
    {
        var problem = Single($"# lr\n{written}: 0.1\n");

        Assert.Equal(2, problem.Line);
        Assert.EndsWith($"did you mean '{meant}'?", problem.Text);
    }

    [Fact]
    public void UnknownKeyFarFromAnyGetsNoSuggestion()
    {
        var problem = Single("frobnication_level: 3\n");

        Assert.Equal("unknown key", problem.Text);
    }

    [Theory]
    [InlineData("batch_size: 'big'", "batch_size", 13, "expected an integer, got the string 'big'")]
    [InlineData("batch_size: big", "batch_size", 13, "expected an integer, got 'big'")]
    [InlineData("batch_size: 32.5", "batch_size", 13, "expected an integer (a whole number), got '32.5'")]
    [InlineData("batch_size: '32'", "batch_size", 13, "expected an integer, got the string '32' (remove the quotes)")]
    [InlineData("batch_size: [32]", "batch_size", 13, "expected an integer, got a list")]
    [InlineData("batch_size:", "batch_size", 12, "expected an integer, got no value")]
    [InlineData("lr: fast", "lr", 5, "expected a number, got 'fast'")]
    [InlineData("shuffle: maybe", "shuffle", 10, "expected True or False, got 'maybe'")]
    [InlineData("shuffle: 'True'", "shuffle", 10, "expected True or False, got the string 'True' (remove the quotes)")]
    [InlineData("scale: 0.08", "scale", 8, "expected a list of 2 numbers [min, max], got '0.08'")]
    [InlineData("scale: [0.08]", "scale", 8, "expected a list of 2 numbers [min, max], got 1 item")]
    [InlineData("scale: [0.08, big]", "scale", 8, "item 2: expected a number, got 'big'")]
    [InlineData("scale: [1.0, 0.08]", "scale", 8, "min 1.0 is greater than max 0.08")]
    [InlineData("mean: [1, 2]", "mean", 7, "expected a list of 1 or 3 numbers, got 2 items")]
    [InlineData("multi_step_decay_milestones: [30, 20]", "multi_step_decay_milestones", 30, "item 2: 20 does not increase on 30")]
    [InlineData("model: {name: xception}", "model", 8, "expected a string, got a mapping")]
    [InlineData("model: ''", "model", 8, "must not be empty")]
    [InlineData("ckpt_path:", "ckpt_path", 11, "expected a string, got no value (write '' for an empty string)")]
    public void WrongTypeNamesKeyAndValuePosition(string line, string key, int column, string text)
    {
        var problem = Single($"# system\nmode: 0\n\n{line}\n");

        Assert.Equal(new ConfigProblem(File, key, 4, column, text), problem);
    }

    [Theory]
    [InlineData("batch_size: 0", "0 is out of range: must be >= 1")]
    [InlineData("hflip: 1.5", "1.5 is out of range: must be in [0, 1]")]
    [InlineData("label_smoothing: 1", "1 is out of range: must be in [0, 1)")]
    [InlineData("lr: -0.1", "-0.1 is out of range: must be >= 0")]
    [InlineData("loss_scale: 0", "0 is out of range: must be > 0")]
    [InlineData("crop_pct: 0", "0 is out of range: must be > 0")]
    [InlineData("mode: 2", "2 is not allowed: must be 0 or 1")]
    [InlineData("std: [58.4, 0, 57.4]", "item 2: 0 is out of range: must be > 0")]
    [InlineData("scheduler: 'cosine_warm'", "'cosine_warm' is not one of constant, cosine_decay, warmup_cosine_decay, exponential_decay, polynomial_decay, step_decay, multi_step_decay, one_cycle, cyclic")]
    [InlineData("scheduler: cosine_decy", "'cosine_decy' is not one of constant, cosine_decay, warmup_cosine_decay, exponential_decay, polynomial_decay, step_decay, multi_step_decay, one_cycle, cyclic; did you mean 'cosine_decay'?")]
    [InlineData("weight_decay_filter: 'some'", "'some' is not one of disable, auto, norm_and_bias")]
    [InlineData("ckpt_save_policy: best", "'best' is not one of latest_k, top_k")]
    [InlineData("device: tpu", "'tpu' is not one of auto, cpu, gpu; did you mean 'cpu'?")]
    [InlineData("re_value: black", "expected a number or 'random', got 'black'")]
    public void OutOfRangeOrNotAllowedNamesTheValue(string line, string text)
    {
        var problem = Single("epoch_size: 10\n" + line + "\n");

        Assert.Equal(2, problem.Line);
        Assert.Equal(line[..line.IndexOf(':')], problem.Key);
        Assert.Equal(text, problem.Text);
    }

    [Fact]
    public void UnknownAugmentationPolicyListsThePolicies()
    {
        var problem = Single("auto_augment: 'randaugment-m9'\n");

        Assert.StartsWith("'randaugment-m9' is not an augmentation policy: expected randaug, autoaug", problem.Text);
        Assert.EndsWith("did you mean 'randaug'?", problem.Text);
    }

    [Fact]
    public void DuplicateKeyNamesBothLines()
    {
        var problem = Single("lr: 0.1\nbatch_size: 32\nscale: [0.1, 1.0]\nlr: 0.2\n");

        Assert.Equal(new ConfigProblem(File, "lr", 4, 1, "duplicate key (first set on line 1)"), problem);
    }

    [Fact]
    public void NestedMappingsDoNotConfuseTheDuplicateCheck()
    {
        // 'lr' inside a (rejected) nested mapping and 'x' as a value are not top-level keys.
        var problem = Single("model: {lr: 1, x: 2}\nlr: 0.1\ndataset: lr\n");

        Assert.Equal("model", problem.Key);
    }

    [Theory]
    [InlineData("lr: 0.1\n  batch_size: 2\n", 2, 13)]
    [InlineData("lr: 0.1\nmodel: 'xception\n", 2, 8)]
    [InlineData("lr: 0.1\nmean: [1, 2, 3\nbatch_size: 4\nshuffle: True\n", 3, 1)]
    [InlineData("lr: 0.1\n\tbatch_size: 2\n", 1, 5)] // YamlDotNet points at the scalar the tab would continue
    public void MalformedYamlGivesTheParsersPosition(string yaml, int line, int column)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, File));
        var problem = Assert.Single(e.Problems);

        Assert.Null(problem.Key);
        Assert.StartsWith("malformed YAML: ", problem.Text);
        Assert.Equal((line, column), (problem.Line, problem.Column));
        Assert.StartsWith($"{File}:{line}:{column}: malformed YAML: ", e.Message);
    }

    [Theory]
    [InlineData("- lr\n- batch_size\n")]
    [InlineData("just text\n")]
    public void TopLevelMustBeKeysAndValues(string yaml)
    {
        var problem = Single(yaml);

        Assert.Equal((1, 1), (problem.Line, problem.Column));
        Assert.Equal("expected 'key: value' lines at the top level", problem.Text);
    }

    [Fact]
    public void MoreThanOneDocumentIsRefused()
    {
        var problem = Single("lr: 0.1\n---\nlr: 0.2\n");

        Assert.Equal(3, problem.Line);
        Assert.StartsWith("more than one YAML document", problem.Text);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"no-such-config-{Guid.NewGuid():N}.yaml");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Equal($"{path}: no such file", e.Message);
        Assert.False(e.IsCommandLine);
    }

    [Fact]
    public void EveryProblemInAFileIsReportedInFileOrder()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("batch_size: big\nlr: 0.1\nbacth_size: 3\nhflip: 2\n", File));

        Assert.Equal([1, 3, 4], e.Problems.Select(p => p.Line!.Value));
        Assert.Equal(["batch_size", "bacth_size", "hflip"], e.Problems.Select(p => p.Key!));
        Assert.Equal(
            "configs/bad.yaml: 3 problems\n" +
            "  configs/bad.yaml:1:13: batch_size: expected an integer, got 'big'\n" +
            "  configs/bad.yaml:3:1: bacth_size: unknown key; did you mean 'batch_size'?\n" +
            "  configs/bad.yaml:4:8: hflip: 2 is out of range: must be in [0, 1]",
            e.Message);
    }

    private static ConfigProblem Single(string yaml)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, File));
        return Assert.Single(e.Problems);
    }
}
