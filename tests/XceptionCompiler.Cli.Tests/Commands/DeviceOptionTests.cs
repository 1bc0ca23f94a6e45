using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Oracle;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Gpu;

namespace XceptionCompiler.Cli.Tests.Commands;

/// <summary>
/// `--device`: the GPU backend through the CLI. CI has no GPU, so `--device gpu` runs on ILGPU's CPU accelerator here
/// (<see cref="GpuSession.TestAcceleratorVariable"/>); without that switch and without CUDA, it is a clear error.
/// </summary>
public sealed class DeviceOptionTests
{
    [Fact]
    public void RunOnTheGpuBackendMatchesPyTorch()
    {
        var oracle = PyTorchOracle.GetCase("fashion_eval");
        using var temp = new TempDirectory();
        string output = temp.File("logits.safetensors");
        Environment.SetEnvironmentVariable(GpuSession.TestAcceleratorVariable, "cpu-accelerator");
        CliResult result;
        try
        {
            result = XceptionCommand.Expect(ExitCodes.Ok, "run", "--model", "FashionXception", "--checkpoint", oracle.WeightsPath, "--input", oracle.IoPath, "--output", output, "--device", "gpu");
        }
        finally
        {
            Environment.SetEnvironmentVariable(GpuSession.TestAcceleratorVariable, null);
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
        Environment.SetEnvironmentVariable(GpuSession.TestAcceleratorVariable, "cpu-accelerator");
        CliResult result;
        try
        {
            result = XceptionCommand.Expect(ExitCodes.Ok, "bench", "--model", "Tiny", "--batch", "3", "--iters", "1", "--warmup", "0", "--device", "gpu", "--check", "--json");
        }
        finally
        {
            Environment.SetEnvironmentVariable(GpuSession.TestAcceleratorVariable, null);
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
