using System.Diagnostics;
using XceptionCompiler.Reference.Oracle;
using XceptionCompiler.Runtime.Checkpoints;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Checkpoints;

/// <summary>Files move between this runtime and PyTorch in both directions (through tests/oracle/pytorch_oracle.py).</summary>
public sealed class PyTorchInteropTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadsEveryDTypeWrittenByThePythonWriter()
    {
        var path = _dir.File("sample.safetensors");
        PyTorchOracle.Run("--write-sample", path);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("pytorch_oracle.py", file.Metadata["writer"]);
        foreach (var (name, dtype) in new[] { ("f32", SafeTensorsDType.F32), ("f64", SafeTensorsDType.F64), ("f16", SafeTensorsDType.F16), ("bf16", SafeTensorsDType.BF16) })
        {
            Assert.Equal(dtype, file.GetInfo(name).DType);
            Assert.Equal([2, 3, 5], file.GetInfo(name).Shape);
            // torch's own conversion to float32 must equal ours, bit for bit.
            Assert.Equal(file.ReadFloats(name + ".expected").Select(BitConverter.SingleToInt32Bits), file.ReadFloats(name).Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal([-(1L << 40), -1, 0, 1, 1L << 40, 1L << 62], file.ReadInt64("i64"));
        Assert.Equal([int.MinValue, -1, 0, 1, int.MaxValue], file.ReadInt32("i32"));
        Assert.Equal([12345L], file.ReadInt64("scalar.num_batches_tracked"));
        Assert.Empty(file.GetInfo("scalar.num_batches_tracked").Shape);
        Assert.Equal([0, 4], file.GetInfo("empty").Shape);
        Assert.Empty(file.ReadFloats("empty"));
    }

    [Fact]
    public void FashionTrainCaseHasEveryTensorTheNumericsTestsNeed()
    {
        var files = PyTorchOracle.GetCase("fashion_train");
        using var weights = SafeTensorsFile.Open(files.WeightsPath);
        using var io = SafeTensorsFile.Open(files.IoPath);

        Assert.Equal("train", io.Metadata["mode"]);
        Assert.Equal("4", io.Metadata["batch"]);
        Assert.Equal([4, 1, 28, 28], io.GetInfo("input").Shape);
        Assert.Equal([4, 10], io.GetInfo("logits").Shape);
        Assert.Equal([4, 10], io.GetInfo("grad_output").Shape);
        Assert.Equal([4, 1, 28, 28], io.GetInfo("grad.input").Shape);
        var floatTensors = weights.Tensors.Where(t => !CheckpointMatch.IsIgnored(t.Name)).ToList();
        // One I64 counter per batch norm (14: bn1, bn3, two skipbn, 2 + 2 + 3 + 3 in the blocks), to exercise the ignore rule.
        Assert.Equal(14, weights.Tensors.Count(t => t.DType == SafeTensorsDType.I64 && CheckpointMatch.IsIgnored(t.Name)));
        Assert.Equal(14, floatTensors.Count(t => t.Name.EndsWith(".running_mean", StringComparison.Ordinal)));
        foreach (var t in floatTensors)
        {
            var statistic = t.Name.EndsWith(".running_mean", StringComparison.Ordinal) || t.Name.EndsWith(".running_var", StringComparison.Ordinal);
            var other = io.GetInfo((statistic ? "updated." : "grad.") + t.Name);
            Assert.Equal(t.Shape, other.Shape);
        }
        Assert.Contains(weights.Tensors, t => t.Name == "block3.rep.8.running_var");
        Assert.Equal([10, 256], weights.GetInfo("fc.weight").Shape);
    }

    [Fact]
    public void CheckpointsCrossBetweenPyTorchAndThisRuntimeUnchanged()
    {
        var files = PyTorchOracle.GetCase("fashion_eval");
        FakeNetwork net;
        using (var weights = SafeTensorsFile.Open(files.WeightsPath))
            net = FakeNetwork.Like(weights, "FashionXception");

        Checkpoint.Load(net, files.WeightsPath); // PyTorch → C#, with the I64 counters ignored
        Assert.Contains(net.Statistics, x => x != 0f);
        var saved = _dir.File("roundtrip.safetensors");
        Checkpoint.Save(net, saved);

        // C# → PyTorch: load_state_dict(strict=True) into the oracle's module, every tensor equal to the original.
        var output = PyTorchOracle.Run("--load-check", "fashion", saved, "--expect", files.WeightsPath);
        Assert.Contains($"{net.Tensors.Count} equal to the reference", output);
    }

    [Fact]
    public void CanonicalOracleCheckpointLoadsIntoTheReferenceTensorList()
    {
        var tsv = Path.Combine(PyTorchOracle.RepositoryRoot, "..", "shared", "reference", "xception_param_names.tsv");
        if (!File.Exists(tsv))
            return; // the shared reference sits beside the repository on the development machine only
        var tensors = File.ReadLines(tsv).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var columns = line.Split('\t');
            var shape = columns[2].Trim('(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            return (columns[1], shape);
        }).ToList();
        var net = new FakeNetwork("Xception", tensors);
        Assert.Equal(236, net.Tensors.Count);
        Assert.Equal(22_855_952, net.Parameters.Length);
        Assert.Equal(54_528, net.Statistics.Length);

        var files = PyTorchOracle.GetCase("xception_eval");
        var clock = Stopwatch.StartNew();
        Checkpoint.Load(net, files.WeightsPath);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"loading the canonical checkpoint took {clock.Elapsed}");
        Assert.Contains(net.Parameters, x => x != 0f);
    }

    [Fact]
    public void OracleModulesHaveTheCanonicalNamesShapesAndCounts()
    {
        var output = PyTorchOracle.Run("--check-names");
        Assert.Contains("22,855,952 trainable parameters, 236 float tensors", output);
    }

    [Fact]
    public void ConcurrentRequestsForACaseShareOneResult()
    {
        var results = Enumerable.Range(0, 4).AsParallel().Select(_ => PyTorchOracle.GetCase("fashion_eval")).ToList();
        Assert.All(results, r => Assert.Same(results[0], r));
        Assert.True(File.Exists(results[0].WeightsPath) && File.Exists(results[0].IoPath));
        Assert.StartsWith(Path.GetTempPath(), results[0].IoPath);
    }

    [Fact]
    public void UnknownCaseIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => PyTorchOracle.GetCase("resnet"));
        Assert.Contains("fashion_train", e.Message);
    }
}
