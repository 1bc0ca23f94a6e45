using System.Reflection;
using XceptionCompiler.Runtime.Configuration;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Configuration;

/// <summary>The key table against <see cref="TrainConfig"/>: one key per property, MindCV's defaults, and values that survive writing and reading.</summary>
public sealed class ConfigKeysTests
{
    private static readonly PropertyInfo[] Properties = typeof(TrainConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.Name != "EqualityContract")
        .ToArray();

    [Fact]
    public void EveryPropertyHasExactlyOneKeyNamedAfterIt()
    {
        var fromKeys = ConfigKeys.All.Select(k => string.Concat(k.Name.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])));

        Assert.Equal(Properties.Select(p => p.Name).Order(), fromKeys.Order());
        Assert.Equal(ConfigKeys.All.Count, ConfigKeys.All.Select(k => k.Name).Distinct().Count());
    }

    [Fact]
    public void EachKeySetsAndReadsOnlyItsOwnProperty()
    {
        foreach (var key in ConfigKeys.All)
        {
            // One key off its default at a time: a key wired to a neighbour's property shows as a second change.
            var config = ConfigLoader.Parse($"{key.Name}: {Distinct(key)}", "distinct.yaml");

            var changed = Properties.Where(p => !Equals(p.GetValue(config), p.GetValue(TrainConfig.Default))).Select(p => p.Name);
            var property = Assert.Single(changed);
            Assert.Equal(property, string.Concat(key.Name.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])));
            Assert.Equal(typeof(TrainConfig).GetProperty(property)!.GetValue(config), key.GetValue(config));
        }
    }

    [Fact]
    public void KeysHaveGroupsDescriptionsAndFlags()
    {
        Assert.All(ConfigKeys.All, key =>
        {
            Assert.Contains(key.Group, ConfigGroup.All);
            Assert.EndsWith(".", key.Description);
            Assert.Equal("--" + key.Name.Replace('_', '-'), key.Flag);
            Assert.Equal("--" + key.Name, key.UnderscoreFlag);
        });
        Assert.Equal(ConfigGroup.All, ConfigKeys.All.Select(k => k.Group).Distinct());
    }

    [Theory]
    [InlineData("batch_size", "int", "128")]
    [InlineData("lr", "float", "0.001")]
    [InlineData("min_lr", "float", "1e-06")]
    [InlineData("weight_decay", "float", "1e-06")]
    [InlineData("opt", "sgd|momentum|adam|adamw|lion|rmsprop|adagrad|lamb|nadam", "'adam'")]
    [InlineData("scheduler", "constant|cosine_decay|warmup_cosine_decay|exponential_decay|polynomial_decay|step_decay|multi_step_decay|one_cycle|cyclic", "'cosine_decay'")]
    [InlineData("image_resize", "int", "224")]
    [InlineData("epoch_size", "int", "90")]
    [InlineData("warmup_epochs", "int", "3")]
    [InlineData("decay_epochs", "int", "100")]
    [InlineData("scale", "[min, max]", "[0.08, 1.0]")]
    [InlineData("ratio", "[min, max]", "[0.75, 1.333]")]
    [InlineData("mean", "float list", "[123.675, 116.28, 103.53]")]
    [InlineData("num_classes", "int or null", "null")]
    [InlineData("auto_augment", "policy or null", "null")]
    [InlineData("distribute", "bool", "False")]
    [InlineData("drop_remainder", "bool", "True")]
    [InlineData("ckpt_path", "string", "''")]
    [InlineData("ckpt_save_policy", "latest_k|top_k", "'latest_k'")]
    [InlineData("weight_decay_filter", "disable|auto|norm_and_bias", "'disable'")]
    [InlineData("loss_scale_type", "fixed|dynamic|auto", "'fixed'")]
    [InlineData("mode", "0|1", "0")]
    [InlineData("multi_step_decay_milestones", "int list", "[30, 60, 90]")]
    [InlineData("ema_decay", "float", "0.9999")]
    [InlineData("clip_value", "float", "15.0")]
    [InlineData("device", "auto|cpu|gpu", "'auto'")]
    [InlineData("threads", "int", "0")]
    public void TypesAndDefaultsAreMindCvs(string name, string type, string defaultText)
    {
        var key = ConfigKeys.Find(name);

        Assert.NotNull(key);
        Assert.Equal((type, defaultText), (key.TypeName, key.DefaultText));
    }

    [Fact]
    public void WrittenConfigsReadBackEqual()
    {
        foreach (var path in new[] { ShippedConfigs.Ascend, ShippedConfigs.FashionMnist })
        {
            var config = ConfigLoader.Load(path);

            var yaml = ConfigWriter.ToYaml(config);

            Assert.Equal(config, ConfigLoader.Parse(yaml, "written.yaml"));
            Assert.Equal(ConfigKeys.All.Count, yaml.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#')));
        }
    }

    [Fact]
    public void WrittenFloatsAndStringsRoundTripExactly()
    {
        var config = TrainConfig.Default with { Lr = 0.1 + 0.2, DataDir = "it's here", Mean = [1.0 / 3, 2e-300, 255] };

        Assert.Equal(config, ConfigLoader.Parse(ConfigWriter.ToYaml(config), "written.yaml"));
    }

    [Fact]
    public void ValueListsCompareByValue()
    {
        ValueList<double> a = [0.08, 1.0], b = [0.08, 1.0], c = [1.0, 0.08];

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal(TrainConfig.Default with { Scale = a }, TrainConfig.Default with { Scale = b });
    }

    /// <summary>A valid value for <paramref name="key"/> unlike its default.</summary>
    private static string Distinct(ConfigKey key)
    {
        if (key.IsBoolean)
            return key.DefaultText == "True" ? "False" : "True";
        if (key.Choices.Count > 0)
            return key.Choices.First(c => $"'{c}'" != key.DefaultText);
        return key.Name switch
        {
            "mode" => "1",
            "aug_splits" => "3",
            "auto_augment" => "augmix",
            "re_value" => "random",
            "multi_step_decay_milestones" => "[10, 20]",
            "scale" or "re_scale" => "[0.5, 0.75]",
            "ratio" or "re_ratio" => "[0.5, 2.0]",
            "color_jitter" or "mean" or "std" => "[0.25]",
            _ when key.TypeName.StartsWith("int", StringComparison.Ordinal) => "7",
            _ when key.TypeName.StartsWith("float", StringComparison.Ordinal) => "0.375",
            _ => "'something else'",
        };
    }
}
