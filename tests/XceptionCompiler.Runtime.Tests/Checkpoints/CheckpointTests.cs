using System.Buffers.Binary;
using XceptionCompiler.Runtime.Checkpoints;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The network's tensors as SafeTensors, with edits: drop, add or reshape by name.</summary>
    private static List<SafeTensor> TensorsOf(FakeNetwork net) =>
        net.Tensors.Select(t => new SafeTensor(t.Name, t.Shape,
            (t.Trainable ? net.Parameters : net.Statistics).AsMemory(t.Offset, t.Length).ToArray())).ToList();

    /// <summary>Loads and expects failure; the target network must come out exactly as it went in.</summary>
    private static CheckpointException LoadFails(FakeNetwork target, string path)
    {
        var parameters = (float[])target.Parameters.Clone();
        var statistics = (float[])target.Statistics.Clone();
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Equal(parameters, target.Parameters);
        Assert.Equal(statistics, target.Statistics);
        return e;
    }

    private string Write(IEnumerable<SafeTensor> tensors)
    {
        var path = _dir.File($"{Guid.NewGuid():N}.safetensors");
        SafeTensorsWriter.WriteFile(path, tensors);
        return path;
    }

    [Fact]
    public void SaveThenLoadRestoresParametersAndStatistics()
    {
        var source = FakeNetwork.Small().Fill(1);
        var path = _dir.File("ckpt.safetensors");
        Checkpoint.Save(source, path, new Dictionary<string, string> { ["epoch"] = "3", ["format"] = "custom" });

        var target = FakeNetwork.Small().Fill(2);
        var metadata = Checkpoint.Load(target, path);

        Assert.Equal(source.Parameters, target.Parameters);
        Assert.Equal(source.Statistics, target.Statistics);
        Assert.Equal("3", metadata["epoch"]);
        Assert.Equal("custom", metadata["format"]); // the caller's entries win
        Assert.Equal("Small", metadata["network"]);
    }

    [Fact]
    public void SaveWritesTimmNamesShapesAndValuesInNetworkOrder()
    {
        var net = FakeNetwork.Small().Fill(3);
        var path = _dir.File("ckpt.safetensors");
        Checkpoint.Save(net, path);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(net.Tensors.Select(t => t.Name), file.Tensors.Select(t => t.Name));
        Assert.Equal("pt", file.Metadata["format"]);
        foreach (var t in net.Tensors)
        {
            Assert.Equal(t.Shape, file.GetInfo(t.Name).Shape);
            var buffer = t.Trainable ? net.Parameters : net.Statistics;
            Assert.Equal(buffer.AsSpan(t.Offset, t.Length).ToArray(), file.ReadFloats(t.Name));
        }
    }

    [Fact]
    public void NumBatchesTrackedIsIgnoredAndOtherFloatTypesAreConverted()
    {
        var source = FakeNetwork.Small().Fill(4);
        // fc.bias as F64 and a PyTorch-style I64 scalar counter, written by hand: our writer only writes F32.
        var f32 = TensorsOf(source).Where(t => t.Name != "fc.bias").ToList();
        var entries = new List<string>();
        var data = new MemoryStream();
        foreach (var t in f32)
        {
            entries.Add(RawSafeTensors.Entry(t.Name, "F32", t.Shape, data.Length, data.Length + t.Data.Length * 4));
            data.Write(RawSafeTensors.Floats(t.Data.ToArray()));
        }
        var bias = source.Parameters.AsSpan(source.Tensors.Single(t => t.Name == "fc.bias").Offset, 2).ToArray();
        entries.Add(RawSafeTensors.Entry("fc.bias", "F64", [2], data.Length, data.Length + 16));
        foreach (var b in bias)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, b);
            data.Write(bytes);
        }
        entries.Add(RawSafeTensors.Entry("bn1.num_batches_tracked", "I64", [], data.Length, data.Length + 8));
        data.Write(new byte[8]);
        var path = RawSafeTensors.WriteFile(_dir, "{" + string.Join(",", entries) + "}", data.ToArray());

        var target = FakeNetwork.Small().Fill(5);
        Checkpoint.Load(target, path);
        Assert.Equal(source.Parameters, target.Parameters);
        Assert.Equal(source.Statistics, target.Statistics);
    }

    [Fact]
    public void MissingTensorIsNamedWithItsShape()
    {
        var tensors = TensorsOf(FakeNetwork.Small().Fill(1)).Where(t => t.Name != "bn1.running_var");
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(tensors));
        Assert.Contains("missing tensor 'bn1.running_var' (4,)", e.Message);
        Assert.Single(e.Problems);
    }

    [Fact]
    public void UnknownTensorIsNamed()
    {
        var tensors = TensorsOf(FakeNetwork.Small().Fill(1)).Append(new SafeTensor("head.weight", [2, 2], [1f, 2f, 3f, 4f]));
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(tensors));
        Assert.Contains("unknown tensor 'head.weight' (2, 2)", e.Message);
        Assert.Single(e.Problems);
    }

    [Fact]
    public void WrongShapeNamesBothShapes()
    {
        var tensors = TensorsOf(FakeNetwork.Small().Fill(1))
            .Select(t => t.Name == "fc.weight" ? new SafeTensor("fc.weight", [4, 3], new float[12]) : t);
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(tensors));
        Assert.Contains("tensor 'fc.weight' has shape (4, 3) in the checkpoint but (2, 4) in the network", e.Message);
        Assert.DoesNotContain("same element count", e.Message);
    }

    [Fact]
    public void DepthwiseKernelWithoutItsSingletonAxisGetsALayoutHint()
    {
        var tensors = TensorsOf(FakeNetwork.Small().Fill(1))
            .Select(t => t.Name == "conv1.weight" ? new SafeTensor("conv1.weight", [4, 3, 3], t.Data) : t);
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(tensors));
        Assert.Contains("tensor 'conv1.weight' has shape (4, 3, 3) in the checkpoint but (4, 1, 3, 3) in the network (same element count", e.Message);
    }

    [Fact]
    public void IntegerTensorWhereTheNetworkNeedsFloatsIsAnError()
    {
        var tensors = TensorsOf(FakeNetwork.Small().Fill(1)).Where(t => t.Name != "fc.bias").ToList();
        var entries = new List<string>();
        var data = new MemoryStream();
        foreach (var t in tensors)
        {
            entries.Add(RawSafeTensors.Entry(t.Name, "F32", t.Shape, data.Length, data.Length + t.Data.Length * 4));
            data.Write(RawSafeTensors.Floats(t.Data.ToArray()));
        }
        entries.Add(RawSafeTensors.Entry("fc.bias", "I64", [2], data.Length, data.Length + 16));
        data.Write(new byte[16]);
        var e = LoadFails(FakeNetwork.Small().Fill(2), RawSafeTensors.WriteFile(_dir, "{" + string.Join(",", entries) + "}", data.ToArray()));
        Assert.Contains("tensor 'fc.bias' has dtype I64; the network needs a floating-point type", e.Message);
    }

    [Fact]
    public void AllProblemsAreReportedTogether()
    {
        var tensors = TensorsOf(FakeNetwork.Small().Fill(1))
            .Where(t => t.Name != "bn1.bias")
            .Select(t => t.Name == "fc.bias" ? new SafeTensor("fc.bias", [3], new float[3]) : t)
            .Append(new SafeTensor("extra", [1], [0f]));
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(tensors));
        Assert.Equal(3, e.Problems.Count);
        Assert.Contains("the checkpoint does not match network 'Small' (3 problems)", e.Message);
        Assert.Contains("missing tensor 'bn1.bias'", e.Message);
        Assert.Contains("unknown tensor 'extra'", e.Message);
        Assert.Contains("tensor 'fc.bias' has shape (3,) in the checkpoint but (2,) in the network", e.Message);
    }

    [Fact]
    public void LongListsAreCutAfterTenWithACount()
    {
        var names = Enumerable.Range(0, 30).Select(i => ($"layer{i}.weight", new[] { 2 })).ToList();
        var net = new FakeNetwork("Thirty", names).Fill(1);
        // 16 wrong shapes, all names present: a damaged checkpoint of this network, not another model.
        var tensors = TensorsOf(net).Select((t, i) => i < 16 ? new SafeTensor(t.Name, [1], [0f]) : t);
        var e = LoadFails(net, Write(tensors));
        Assert.Equal(16, e.Problems.Count);
        Assert.Contains("layer9.weight", e.Message);
        Assert.DoesNotContain("layer10.weight", e.Message);
        Assert.Contains("... and 6 more", e.Message);
        Assert.Contains("layer15.weight", string.Join("\n", e.Problems));
    }

    [Fact]
    public void CheckpointOfAnotherModelSaysSo()
    {
        var other = new FakeNetwork("Other", [("stem.weight", [8, 3, 3, 3]), ("head.weight", [10, 8]), ("head.bias", [10])]).Fill(1);
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(TensorsOf(other)));
        Assert.Contains("this does not look like a checkpoint of network 'Small': only 0 of its 7 tensor names are in the file, which has 3 other tensors ('stem.weight', 'head.weight', 'head.bias')", e.Message);
        Assert.Equal(10, e.Problems.Count);
    }

    [Fact]
    public void MindCvNamesGetAHint()
    {
        var mindcv = new FakeNetwork("MindCV", [("conv1.weight", [4, 1, 3, 3]), ("bn1.gamma", [4]), ("bn1.beta", [4]), ("bn1.moving_mean", [4]), ("bn1.moving_variance", [4]), ("fc.weight", [2, 4]), ("fc.bias", [2])]).Fill(1);
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(TensorsOf(mindcv)));
        Assert.Contains("the names look like MindCV's", e.Message);
    }

    [Fact]
    public void DataParallelPrefixGetsAHint()
    {
        var net = FakeNetwork.Small().Fill(1);
        var prefixed = TensorsOf(net).Select(t => t with { Name = "module." + t.Name });
        var e = LoadFails(FakeNetwork.Small().Fill(2), Write(prefixed));
        Assert.Contains("every name starts with 'module.'", e.Message);
    }

    [Fact]
    public void FileTruncatedAfterValidationFailsWithoutTouchingTheNetwork()
    {
        var path = _dir.File("ckpt.safetensors");
        Checkpoint.Save(FakeNetwork.Small().Fill(1), path);
        using var file = SafeTensorsFile.Open(path);
        // Another process cuts the file after the header was checked: the early tensors read fine, fc.bias does not.
        using (var other = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            other.SetLength(other.Length - 4);

        var target = FakeNetwork.Small().Fill(2);
        var parameters = (float[])target.Parameters.Clone();
        var statistics = (float[])target.Statistics.Clone();
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, file));
        Assert.Contains("it was truncated or changed while open", e.Message);
        Assert.Equal(parameters, target.Parameters);
        Assert.Equal(statistics, target.Statistics);
    }

    [Fact]
    public void CorruptCheckpointFailsWithoutTouchingTheNetwork()
    {
        var path = _dir.File("ckpt.safetensors");
        Checkpoint.Save(FakeNetwork.Small().Fill(1), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var e = LoadFails(FakeNetwork.Small().Fill(2), path);
        Assert.Contains("tensor 'fc.bias'", e.Message);
    }
}
