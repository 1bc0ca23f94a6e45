using System.Globalization;
using System.Text.RegularExpressions;
using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Reference.Data;
using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Oracle;
using XceptionCompiler.Runtime.Checkpoints;

namespace XceptionCompiler.Cli.Tests.Commands;

/// <summary>
/// `--device`: the GPU backend through the CLI. CI has no GPU, so `--device gpu` runs on ILGPU's CPU accelerator here
/// (<see cref="TestAccelerator"/>); without that switch and without CUDA, it is a clear error. The switch is
/// process-wide, so every test that uses it lives in this class.
/// </summary>
public sealed partial class DeviceOptionTests
{
    [Fact]
    public void TrainAndValidateOnTheGpuBackendAsOnTheCpu()
    {
        using var temp = new TempDirectory();
        string data = temp.File("data");
        SyntheticImages.WriteFolder(data, classes: 4, trainPerClass: 4, valPerClass: 2);
        string recipe = temp.File("mini.yaml");
        File.WriteAllText(recipe, $"""
            dataset: 'imagenet'
            data_dir: '{data}'
            batch_size: 8
            image_resize: 32
            mean: [127.5, 127.5, 127.5]
            std: [127.5, 127.5, 127.5]
            model: 'mini_xception'
            epoch_size: 1
            val_while_train: True
            ckpt_save_dir: '{temp.File("ckpt")}'
            opt: 'sgd'
            lr: 0.05
            warmup_epochs: 0
            ema: True
            log_interval: 1
            """);

        CliResult train, onGpu;
        using (TestAccelerator.Use())
        {
            train = XceptionCommand.Expect(ExitCodes.Ok, "train", "-c", recipe, "--device", "gpu");
            string trained = temp.File("ckpt/mini_xception-1_2.safetensors");
            Assert.True(File.Exists(trained), "no checkpoint at " + trained + "\n" + train);
            onGpu = XceptionCommand.Expect(ExitCodes.Ok, "validate", "-c", recipe, "--ckpt-path", trained, "--device", "gpu");
        }

        // The progress display of a CPU run, and the line that says where the network runs.
        Assert.Contains("kernels compiled in", train.Stdout);
        Assert.Contains("on the GPU", train.Stdout);
        Assert.Contains("epoch 1/1", train.Stdout);
        Assert.Contains("img/s", train.Stdout);
        Assert.Contains("kernels compiled in", onGpu.Stdout);
        CliResult onCpu = XceptionCommand.Expect(ExitCodes.Ok, "validate", "-c", recipe, "--ckpt-path", temp.File("ckpt/mini_xception-1_2.safetensors"), "--device", "cpu");
        Assert.DoesNotContain("kernels compiled in", onCpu.Stdout);

        // Validation during training (on the device, averaged weights) = validate of the checkpoint on either backend.
        Match duringTraining = TrainedValidation().Match(train.Stdout), gpuValidate = Validated().Match(onGpu.Stdout), cpuValidate = Validated().Match(onCpu.Stdout);
        Assert.True(duringTraining.Success && gpuValidate.Success && cpuValidate.Success, train + "\n" + onGpu + "\n" + onCpu);
        Assert.Equal(duringTraining.Groups["top1"].Value, gpuValidate.Groups["top1"].Value);
        Assert.Equal(cpuValidate.Groups["top1"].Value, gpuValidate.Groups["top1"].Value);
        Assert.Equal(double.Parse(cpuValidate.Groups["loss"].Value, CultureInfo.InvariantCulture), double.Parse(gpuValidate.Groups["loss"].Value, CultureInfo.InvariantCulture), 1e-3);
    }

    [Fact]
    public void TrainOnGpuWithoutACudaDeviceIsAClearError()
    {
        CliResult result = XceptionCommand.Run("train", "--device", "gpu", "--epoch-size", "1");

        Assert.NotEqual(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("no CUDA GPU", result.Stderr);
    }

    [GeneratedRegex(@"epoch 1: .*val top-1 (?<top1>[0-9.]+) %")]
    private static partial Regex TrainedValidation();

    [GeneratedRegex(@"top-1 (?<top1>[0-9.]+) %.*loss (?<loss>[0-9.]+)")]
    private static partial Regex Validated();

    [Fact]
    public void RunOnTheGpuBackendMatchesPyTorch()
    {
        var oracle = PyTorchOracle.GetCase("fashion_eval");
        using var temp = new TempDirectory();
        string output = temp.File("logits.safetensors");
        CliResult result;
        using (TestAccelerator.Use())
        {
            result = XceptionCommand.Expect(ExitCodes.Ok, "run", "--model", "FashionXception", "--checkpoint", oracle.WeightsPath, "--input", oracle.IoPath, "--output", output, "--device", "gpu");
        }

        Assert.Contains("kernels compiled in", result.Stdout);
        using var expected = SafeTensorsFile.Open(oracle.IoPath);
        using var actual = SafeTensorsFile.Open(output);
        TensorAssert.MaxAbsRelative("logits on the GPU backend", expected.ReadFloats("logits"), actual.ReadFloats("logits"), 1e-4, [4, 10]);
        Assert.Equal("gpu", actual.Metadata["device"]);
    }

    [Fact]
    public void BenchCheckFindsTheGpuBackendAgreeingWithTheCpuBackend()
    {
        CliResult result;
        using (TestAccelerator.Use())
        {
            result = XceptionCommand.Expect(ExitCodes.Ok, "bench", "--model", "Tiny", "--batch", "3", "--iters", "1", "--warmup", "0", "--device", "gpu", "--check", "--json");
        }

        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout.Trim().Split('\n')[^1]);
        System.Text.Json.JsonElement root = json.RootElement;
        Assert.InRange(root.GetProperty("check_logits_max_rel").GetDouble(), 0, 1e-4);
        Assert.InRange(root.GetProperty("check_loss_rel").GetDouble(), 0, 1e-5);
        Assert.InRange(root.GetProperty("check_parameters_rel_l2").GetDouble(), 0, 1e-3);
        Assert.True(root.GetProperty("img_per_s").GetDouble() > 0);
        Assert.True(root.GetProperty("device_memory_mb").GetDouble() > 0);
        Assert.True(root.GetProperty("kernels").GetInt32() > 10);
    }

    [Fact]
    public void GpuWithoutACudaDeviceIsAClearError()
    {
        var oracle = PyTorchOracle.GetCase("fashion_eval");
        using var temp = new TempDirectory();

        var result = XceptionCommand.Run("run", "--model", "FashionXception", "--checkpoint", oracle.WeightsPath, "--input", oracle.IoPath, "--output", temp.File("x.safetensors"), "--device", "gpu");

        Assert.NotEqual(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("no CUDA GPU", result.Stderr);
        Assert.False(File.Exists(temp.File("x.safetensors")));
    }

    [Fact]
    public void CheckNeedsAGpu()
    {
        var result = XceptionCommand.Run("bench", "--model", "Tiny", "--check", "--device", "cpu");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--check", result.Stderr);
    }

    [Fact]
    public void UnknownDeviceIsAUsageError()
    {
        var result = XceptionCommand.Run("bench", "--model", "Tiny", "--device", "tpu");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("tpu", result.Stderr);
    }
}
