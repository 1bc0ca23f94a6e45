using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Reference.Oracle;
using XceptionCompiler.Runtime.Checkpoints;

namespace XceptionCompiler.Cli.Tests.Commands;

/// <summary>
/// `xception run` on bad files: each is exit code 1 with one line on stderr that names the file (and tensor) at
/// fault, no stack trace, and no output file left behind.
/// </summary>
public sealed class RunCommandErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly OracleCaseFiles _oracle = PyTorchOracle.GetCase("fashion_eval");

    private string Output => _temp.File("logits.safetensors");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MissingCheckpointFile()
    {
        string missing = _temp.File("no-such-weights.safetensors");

        string error = ExpectFailure(RunArgs(missing, _oracle.IoPath));

        Assert.StartsWith($"error: {missing}: cannot open the file", error);
    }

    [Fact]
    public void MissingInputFile()
    {
        string missing = _temp.File("no-such-input.safetensors");

        string error = ExpectFailure(RunArgs(_oracle.WeightsPath, missing));

        Assert.StartsWith($"error: {missing}: cannot open the file", error);
    }

    [Fact]
    public void InputOfTheWrongShapeNamesExpectedAndActualShapes()
    {
        string input = _temp.File("rgb.safetensors");
        SafeTensorsWriter.WriteFile(input, [new SafeTensor("input", [2, 3, 28, 28], new float[2 * 3 * 28 * 28])]);

        string error = ExpectFailure(RunArgs(_oracle.WeightsPath, input));

        Assert.Equal($"error: {input}: tensor 'input' has shape (2, 3, 28, 28), but FashionXception expects (N, 1, 28, 28) with N >= 1", error);
    }

    [Fact]
    public void InputOfTheWrongRankNamesExpectedAndActualShapes()
    {
        string input = _temp.File("flat.safetensors");
        SafeTensorsWriter.WriteFile(input, [new SafeTensor("input", [4, 784], new float[4 * 784])]);

        string error = ExpectFailure(RunArgs(_oracle.WeightsPath, input));

        Assert.Equal($"error: {input}: tensor 'input' has shape (4, 784), but FashionXception expects (N, 1, 28, 28) with N >= 1", error);
    }

    [Fact]
    public void InputFileWithoutAnInputTensor()
    {
        string input = _temp.File("images.safetensors");
        SafeTensorsWriter.WriteFile(input, [new SafeTensor("images", [1, 1, 28, 28], new float[784])]);

        string error = ExpectFailure(RunArgs(_oracle.WeightsPath, input));

        Assert.StartsWith($"error: {input}: no tensor 'input'", error);
        Assert.Contains("'images'", error);
    }

    [Fact]
    public void CheckpointMissingATensor()
    {
        string weights = _temp.File("without-fc-bias.safetensors");
        using (var full = SafeTensorsFile.Open(_oracle.WeightsPath))
        {
            // The int64 num_batches_tracked counters are left out too: the loader ignores them either way.
            var kept = full.Tensors.Where(t => t.DType == SafeTensorsDType.F32 && t.Name != "fc.bias").Select(t => full.Read(t.Name)).ToList();
            Assert.Equal(82, kept.Count);
            SafeTensorsWriter.WriteFile(weights, kept);
        }

        string error = ExpectFailure(RunArgs(weights, _oracle.IoPath));

        Assert.StartsWith($"error: {weights}: ", error);
        Assert.Contains("missing tensor 'fc.bias' (10,)", error);
    }

    [Fact]
    public void TruncatedInputFile()
    {
        string input = _temp.File("truncated.safetensors");
        byte[] bytes = File.ReadAllBytes(_oracle.IoPath);
        File.WriteAllBytes(input, bytes[..(bytes.Length / 2)]);

        string error = ExpectFailure(RunArgs(_oracle.WeightsPath, input));

        Assert.StartsWith($"error: {input}: ", error);
        Assert.Contains("truncated", error);
    }

    [Fact]
    public void UnwritableOutputNamesTheOutputFile()
    {
        string notADirectory = _temp.File("plain-file");
        File.WriteAllText(notADirectory, "");
        string output = Path.Combine(notADirectory, "logits.safetensors");

        var result = XceptionCommand.Expect(ExitCodes.Failure, "run", "--model", "FashionXception", "--checkpoint", _oracle.WeightsPath, "--input", _oracle.IoPath, "--output", output);

        Assert.StartsWith($"error: {output}: cannot write the logits", result.Stderr);
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void UnknownModelIsAUsageErrorBeforeAnyFileIsRead()
    {
        var result = XceptionCommand.Expect(ExitCodes.Usage, "run", "--model", "Nope", "--checkpoint", "a", "--input", "b", "--output", Output);

        Assert.Contains("unknown model 'Nope'; known models: ", result.Stderr);
        KnownModels.AssertListed(result.Stderr);
    }

    private string[] RunArgs(string checkpoint, string input) =>
        ["run", "--model", "FashionXception", "--checkpoint", checkpoint, "--input", input, "--output", Output];

    /// <summary>Runs, checks exit code 1, one line on stderr, no stack trace and no output file; returns the line.</summary>
    private string ExpectFailure(string[] args)
    {
        var result = XceptionCommand.Expect(ExitCodes.Failure, args);
        var lines = result.Stderr.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {result}");
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(File.Exists(Output), "no output file may be written when the run fails");
        return lines[0].TrimEnd('\r');
    }
}
