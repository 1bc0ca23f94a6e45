using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Oracle;
using XceptionCompiler.Runtime.Checkpoints;

namespace XceptionCompiler.Cli.Tests.Commands;

/// <summary>
/// `xception run` against the PyTorch oracle (tests/oracle/pytorch_oracle.py): the oracle's weights and input go in,
/// the written logits must equal PyTorch's within 1e-4 max-abs relative error, in evaluation and in training mode.
/// </summary>
public sealed class RunCommandTests
{
    private const double LogitTolerance = 1e-4;

    [Theory]
    [InlineData("fashion_eval", "eval")]
    [InlineData("fashion_train", "train")]
    public void LogitsMatchPyTorch(string caseName, string mode)
    {
        var oracle = PyTorchOracle.GetCase(caseName);
        using var temp = new TempDirectory();
        string output = temp.File("logits.safetensors");
        var args = new List<string> { "run", "--model", "FashionXception", "--checkpoint", oracle.WeightsPath, "--input", oracle.IoPath, "--output", output };
        if (mode == "train")
            args.Add("--train-mode");

        var result = XceptionCommand.Expect(ExitCodes.Ok, [.. args]);

        Assert.Contains($"FashionXception ({mode}): 4 images -> logits (4, 10) written to {output}", result.Stdout);
        using var expected = SafeTensorsFile.Open(oracle.IoPath);
        using var actual = SafeTensorsFile.Open(output);
        Assert.Equal(["logits"], actual.Tensors.Select(t => t.Name));
        Assert.Equal(expected.GetInfo("logits").Shape, actual.GetInfo("logits").Shape);
        TensorAssert.MaxAbsRelative($"{caseName} logits", expected.ReadFloats("logits"), actual.ReadFloats("logits"), LogitTolerance, [4, 10]);
        Assert.Equal("FashionXception", actual.Metadata["model"]);
        Assert.Equal(mode, actual.Metadata["mode"]);
    }

    [Fact]
    public void TrainModeAndEvalModeDifferOnTheSameFiles()
    {
        // Guards against --train-mode being ignored: with running statistics unlike the batch's, the logits must move.
        var oracle = PyTorchOracle.GetCase("fashion_eval");
        using var temp = new TempDirectory();
        string eval = temp.File("eval.safetensors"), train = temp.File("train.safetensors");

        XceptionCommand.Expect(ExitCodes.Ok, "run", "-m", "FashionXception", "--checkpoint", oracle.WeightsPath, "--input", oracle.IoPath, "--output", eval);
        XceptionCommand.Expect(ExitCodes.Ok, "run", "-m", "FashionXception", "--checkpoint", oracle.WeightsPath, "--input", oracle.IoPath, "--output", train, "--train-mode");

        using var evalFile = SafeTensorsFile.Open(eval);
        using var trainFile = SafeTensorsFile.Open(train);
        Assert.True(TensorAssert.MaxAbsRelativeError<float>(evalFile.ReadFloats("logits"), trainFile.ReadFloats("logits")) > 1e-3);
    }
}
