using XceptionCompiler.Runtime.Configuration;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Configuration;

/// <summary>configs/xception_ascend.yaml is MindCV's recipe value for value; configs/xception_fashion_mnist.yaml is the new user's default.</summary>
public sealed class ShippedConfigTests
{
    /// <summary>The keys of MindCV's configs/xception/xception_ascend.yaml in its order, then the mean and std we write out.</summary>
    private static readonly string[] MindCvOrder =
    [
        "mode", "distribute", "num_parallel_workers", "val_while_train",
        "dataset", "data_dir", "shuffle", "dataset_download", "batch_size", "drop_remainder",
        "image_resize", "scale", "ratio", "hflip", "interpolation", "auto_augment", "re_prob", "crop_pct", "mean", "std",
        "model", "num_classes", "pretrained", "ckpt_path", "keep_checkpoint_max", "ckpt_save_dir", "epoch_size", "dataset_sink_mode", "amp_level",
        "loss", "label_smoothing",
        "scheduler", "lr", "min_lr", "decay_epochs", "warmup_epochs",
        "opt", "momentum", "weight_decay", "loss_scale", "use_nesterov",
    ];

    [Fact]
    public void AscendRecipeHasMindCvValues()
    {
        var c = ConfigLoader.Load(ShippedConfigs.Ascend);

        // system
        Assert.Equal(0, c.Mode);
        Assert.True(c.Distribute);
        Assert.Equal(8, c.NumParallelWorkers);
        Assert.True(c.ValWhileTrain);
        // dataset
        Assert.Equal("imagenet", c.Dataset);
        Assert.Equal("/path/to/imagenet", c.DataDir);
        Assert.True(c.Shuffle);
        Assert.False(c.DatasetDownload);
        Assert.Equal(32, c.BatchSize);
        Assert.True(c.DropRemainder);
        // augmentation
        Assert.Equal(299, c.ImageResize);
        Assert.Equal([0.08, 1.0], c.Scale);
        Assert.Equal([0.75, 1.333], c.Ratio);
        Assert.Equal(0.5, c.Hflip);
        Assert.Equal("bilinear", c.Interpolation);
        Assert.Equal("autoaug", c.AutoAugment);
        Assert.Equal(0.25, c.ReProb);
        Assert.Equal(0.875, c.CropPct);
        AssertClose([0.485 * 255, 0.456 * 255, 0.406 * 255], c.Mean);
        AssertClose([0.229 * 255, 0.224 * 255, 0.225 * 255], c.Std);
        // model
        Assert.Equal("xception", c.Model);
        Assert.Equal(1000, c.NumClasses);
        Assert.False(c.Pretrained);
        Assert.Equal("", c.CkptPath);
        Assert.Equal(10, c.KeepCheckpointMax);
        Assert.Equal("./ckpt", c.CkptSaveDir);
        Assert.Equal(200, c.EpochSize);
        Assert.True(c.DatasetSinkMode);
        Assert.Equal("O2", c.AmpLevel);
        // loss
        Assert.Equal("CE", c.Loss);
        Assert.Equal(0.1, c.LabelSmoothing);
        // lr scheduler
        Assert.Equal("warmup_cosine_decay", c.Scheduler);
        Assert.Equal(0.045, c.Lr);
        Assert.Equal(0.0, c.MinLr);
        Assert.Equal(195, c.DecayEpochs);
        Assert.Equal(5, c.WarmupEpochs);
        // optimizer
        Assert.Equal("sgd", c.Opt);
        Assert.Equal(0.9, c.Momentum);
        Assert.Equal(1e-5, c.WeightDecay);
        Assert.Equal(1024.0, c.LossScale);
        Assert.Equal("fixed", c.LossScaleType);
        Assert.False(c.UseNesterov);
    }

    [Fact]
    public void AscendRecipeSetsMindCvKeysInMindCvOrder()
    {
        var keys = TopLevelKeys(File.ReadAllLines(ShippedConfigs.Ascend));

        Assert.Equal(MindCvOrder, keys);
    }

    [Fact]
    public void AscendRecipeGroupsKeysUnderMindCvComments()
    {
        var comments = File.ReadAllLines(ShippedConfigs.Ascend).Where(l => l.StartsWith("# ", StringComparison.Ordinal) && l.Length < 20);

        Assert.Equal(["# system", "# dataset", "# augmentation", "# model", "# loss", "# lr scheduler", "# optimizer"], comments);
    }

    [Fact]
    public void FashionMnistDefaultHasTheChosenValues()
    {
        var c = ConfigLoader.Load(ShippedConfigs.FashionMnist);

        Assert.Equal("fashion_xception", c.Model);
        Assert.Equal("fashion_mnist", c.Dataset);
        Assert.Equal("", c.DataDir);
        Assert.Equal(10, c.NumClasses);
        Assert.Equal(28, c.ImageResize);
        Assert.Equal(64, c.BatchSize);
        Assert.Equal(10, c.EpochSize);
        Assert.Equal("warmup_cosine_decay", c.Scheduler);
        Assert.InRange(c.Lr, 0.05, 0.1);
        Assert.Equal(1, c.WarmupEpochs);
        Assert.Equal(c.EpochSize - c.WarmupEpochs, c.DecayEpochs);
        Assert.Equal("sgd", c.Opt);
        Assert.Equal(0.9, c.Momentum);
        Assert.True(c.UseNesterov);
        Assert.Equal(5e-4, c.WeightDecay);
        Assert.Equal("auto", c.WeightDecayFilter);
        Assert.Equal(0.1, c.LabelSmoothing);
        Assert.Equal(0.5, c.Hflip);
        Assert.Null(c.AutoAugment);
        Assert.Equal(0.0, c.ReProb);
        Assert.Equal([72.94], c.Mean);
        Assert.Equal([90.0], c.Std);
        Assert.Equal(1.0, c.CropPct);
        Assert.True(c.ValWhileTrain);
        Assert.Equal(1, c.ValInterval);
        Assert.Equal(3, c.KeepCheckpointMax);
        Assert.Equal("./ckpt/fashion", c.CkptSaveDir);
        Assert.Equal("top_k", c.CkptSavePolicy);
        Assert.Equal(42, c.Seed);
        Assert.Equal(2, c.NumParallelWorkers);
    }

    [Fact]
    public void FashionMnistGroupsItsKeysLikeMindCv()
    {
        var keys = TopLevelKeys(File.ReadAllLines(ShippedConfigs.FashionMnist));
        var groups = keys.Select(k => ConfigKeys.Find(k)!.Group).ToList();

        // Each group's keys sit together, and the groups come in MindCV's order.
        Assert.Equal(ConfigGroup.All, groups.Distinct());
        Assert.Equal(groups.OrderBy(g => ConfigGroup.All.ToList().IndexOf(g)), groups);
    }

    private static List<string> TopLevelKeys(IEnumerable<string> lines) =>
        lines.Where(l => l.Length > 0 && char.IsLetter(l[0])).Select(l => l[..l.IndexOf(':')]).ToList();

    private static void AssertClose(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], 1e-9);
    }
}
