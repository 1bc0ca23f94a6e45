using System.Globalization;
using System.Text.RegularExpressions;
using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Reference.Data;

namespace XceptionCompiler.Cli.Tests.EndToEnd;

/// <summary>
/// A user's round trip on ImageNet-style data: generate a folder of JPEGs, train a few steps with a YAML recipe,
/// validate the checkpoint (same accuracy as training reported), predict one image, and resume for another epoch.
/// </summary>
public sealed partial class TrainValidatePredictTests : IDisposable
{
    private readonly string root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "xception-cli-e2e-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void TrainValidatePredictAndResumeOnAGeneratedImageFolder()
    {
        string data = Path.Combine(root, "data");
        string[] classes = SyntheticImages.WriteFolder(data, classes: 4, trainPerClass: 10, valPerClass: 3);
        string runs = Path.Combine(root, "ckpt");
        string recipe = Path.Combine(root, "mini.yaml");
        File.WriteAllText(recipe, $"""
            # a MindCV-style recipe for the miniature network
            dataset: 'imagenet'
            data_dir: '{data}'
            num_parallel_workers: 2
            batch_size: 8
            image_resize: 32
            scale: [0.5, 1.0]
            auto_augment: 'autoaug'
            re_prob: 0.25
            mean: [127.5, 127.5, 127.5]
            std: [127.5, 127.5, 127.5]
            model: 'mini_xception'
            epoch_size: 2
            val_while_train: True
            ckpt_save_dir: '{runs}'
            scheduler: 'warmup_cosine_decay'
            lr: 0.05
            warmup_epochs: 1
            decay_epochs: 2
            opt: 'sgd'
            momentum: 0.9
            weight_decay: 0.0001
            loss: 'CE'
            label_smoothing: 0.1
            log_interval: 1
            """);

        CliResult train = XceptionCommand.Expect(ExitCodes.Ok, "train", "-c", recipe);
        Assert.Contains("epoch 2/2", train.Stdout);
        Assert.Contains("loss", train.Stdout);
        Assert.Contains("img/s", train.Stdout);
        Assert.Contains("ETA", train.Stdout);
        string checkpoint = Path.Combine(runs, "mini_xception-2_5.safetensors");
        Assert.True(File.Exists(checkpoint), "no checkpoint at " + checkpoint + "\n" + train);
        Assert.True(File.Exists(Path.Combine(runs, "curves.png")), "no plot\n" + train);
        double trained = Percent(EpochTwoValidation().Match(train.Stdout));

        CliResult validate = XceptionCommand.Expect(ExitCodes.Ok, "validate", "-c", recipe, "--ckpt-path", checkpoint);
        Assert.Equal(trained, Percent(TopOne().Match(validate.Stdout)));
        Assert.Contains("(12 images)", validate.Stdout);

        string image = Path.Combine(data, "val", classes[2], "val000.JPEG");
        CliResult predict = XceptionCommand.Expect(ExitCodes.Ok, "predict", "-c", recipe, "--ckpt-path", checkpoint, image);
        string[] lines = predict.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(image, lines[0]);
        Assert.Equal(4, lines.Length - 1);
        Assert.All(classes, name => Assert.Contains(name, predict.Stdout));

        CliResult resume = XceptionCommand.Expect(ExitCodes.Ok, "train", "-c", recipe, "--epoch-size", "3", "--resume", checkpoint);
        Assert.Contains("resuming from " + checkpoint, resume.Stdout);
        Assert.DoesNotContain("epoch 1/3", resume.Stdout);
        Assert.Contains("epoch 3/3", resume.Stdout);
        Assert.True(File.Exists(Path.Combine(runs, "mini_xception-3_5.safetensors")), resume.ToString());

        // Fine-tuning: ckpt_path without resume starts from those weights, and so does the weight average: with a decay
        // near 1 the saved (averaged) weights stay next to the starting ones, not next to a fresh initialisation.
        string tuned = Path.Combine(root, "tuned");
        CliResult fineTune = XceptionCommand.Expect(ExitCodes.Ok, "train", "-c", recipe, "--epoch-size", "1", "--ckpt-path", checkpoint,
            "--ema", "True", "--ema-decay", "0.9999", "--ckpt-save-dir", tuned);
        Assert.Contains("starting from the weights of " + checkpoint, fineTune.Stdout);
        using var start = Runtime.Checkpoints.SafeTensorsFile.Open(checkpoint);
        using var saved = Runtime.Checkpoints.SafeTensorsFile.Open(Path.Combine(tuned, "mini_xception-1_5.safetensors"));
        foreach (var tensor in start.Tensors.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)))
        {
            double change = XceptionCompiler.Reference.TensorAssert.RelativeL2Error<float>(start.ReadFloats(tensor.Name), saved.ReadFloats(tensor.Name));
            Assert.True(change < 1e-2, $"{tensor.Name}: the averaged weights moved {change:G3} away from the fine-tuning start");
        }
    }

    [Fact]
    public void AMissingDataDirectoryFailsWithItsPath()
    {
        string missing = Path.Combine(root, "no-such-data");
        CliResult result = XceptionCommand.Expect(ExitCodes.Failure, "train", "--model", "mini_xception", "--dataset", "imagenet", "--data-dir", missing, "--image-resize", "32");
        Assert.Contains(missing, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void ValidateWithoutACheckpointIsAUsageError()
    {
        CliResult result = XceptionCommand.Expect(ExitCodes.Usage, "validate");
        Assert.Contains("--ckpt-path", result.Stderr);
    }

    private static double Percent(Match match)
    {
        Assert.True(match.Success, "no accuracy in the output");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"epoch 2: .*val top-1 ([0-9.]+) %")]
    private static partial Regex EpochTwoValidation();

    [GeneratedRegex(@"top-1 ([0-9.]+) %")]
    private static partial Regex TopOne();
}
