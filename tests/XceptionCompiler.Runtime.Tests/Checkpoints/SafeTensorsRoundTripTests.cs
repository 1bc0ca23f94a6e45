using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using XceptionCompiler.Runtime.Checkpoints;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Checkpoints;

public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SafeTensor[] Sample() =>
    [
        new("input", [2, 1, 2, 3], Enumerable.Range(0, 12).Select(i => i * 0.25f - 1f).ToArray()),
        new("special", [6], [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue]),
        new("scalar", [], [42.5f]),
        new("empty", [0, 3], Array.Empty<float>()),
        new("logits", [2, 5], Enumerable.Range(0, 10).Select(i => MathF.Sin(i)).ToArray()),
    ];

    [Fact]
    public void WrittenTensorsReadBackBitForBitWithShapesOrderAndMetadata()
    {
        var path = _dir.File("a.safetensors");
        var metadata = new Dictionary<string, string> { ["case"] = "round trip", ["ünïcode"] = "ok \"quoted\"" };
        SafeTensorsWriter.WriteFile(path, Sample(), metadata);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(Sample().Select(t => t.Name), file.Tensors.Select(t => t.Name));
        Assert.Equal(metadata, file.Metadata);
        foreach (var expected in Sample())
        {
            var actual = file.Read(expected.Name);
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(SafeTensorsDType.F32, file.GetInfo(expected.Name).DType);
            Assert.Equal(expected.Data.ToArray().Select(BitConverter.SingleToInt32Bits), actual.Data.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void HeaderIsPaddedWithSpacesToEightBytesAndDataIsPacked()
    {
        var stream = new MemoryStream();
        SafeTensorsWriter.Write(stream, Sample(), new Dictionary<string, string> { ["k"] = "v" });
        var bytes = stream.ToArray();

        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"k\":\"v\"}", header);
        Assert.Equal(header.TrimEnd(' ').Length, header.TrimEnd().Length); // padding is spaces only
        Assert.True(header.Length - header.TrimEnd(' ').Length < 8);
        var floats = Sample().Sum(t => t.Data.Length);
        Assert.Equal(8 + headerLength + floats * 4, bytes.Length);

        using var json = JsonDocument.Parse(header);
        Assert.Equal("[0,48]", json.RootElement.GetProperty("input").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[]", json.RootElement.GetProperty("scalar").GetProperty("shape").GetRawText());
    }

    [Fact]
    public void NoMetadataMeansNoMetadataEntry()
    {
        var path = _dir.File("b.safetensors");
        SafeTensorsWriter.WriteFile(path, [new SafeTensor("x", [1], [1f])]);
        Assert.DoesNotContain("__metadata__", File.ReadAllText(path));
        using var file = SafeTensorsFile.Open(path);
        Assert.Empty(file.Metadata);
    }

    [Theory]
    [InlineData("dup")]
    [InlineData("shape")]
    [InlineData("reserved")]
    public void WriterRejectsBadTensorsBeforeCreatingTheFile(string kind)
    {
        var path = _dir.File("c.safetensors");
        SafeTensor[] tensors = kind switch
        {
            "dup" => [new("x", [1], [1f]), new("x", [1], [2f])],
            "shape" => [new("x", [2, 2], [1f, 2f, 3f])],
            _ => [new("__metadata__", [1], [1f])],
        };
        var e = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.WriteFile(path, tensors));
        Assert.Contains(tensors[0].Name, e.Message);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void OtherFloatTypesConvertToFloat()
    {
        var data = new byte[8 + 2 + 2 + 8];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 0.1);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(8), (Half)(-1.5f));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), 0x3FC0); // bfloat16 1.5
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(12), -(1L << 40));
        var header = "{" + string.Join(",",
            RawSafeTensors.Entry("f64", "F64", [1], 0, 8),
            RawSafeTensors.Entry("f16", "F16", [1], 8, 10),
            RawSafeTensors.Entry("bf16", "BF16", [1], 10, 12),
            RawSafeTensors.Entry("i64", "I64", [], 12, 20)) + "}";
        using var file = SafeTensorsFile.Open(RawSafeTensors.WriteFile(_dir, header, data));

        Assert.Equal([0.1f], file.ReadFloats("f64"));
        Assert.Equal([-1.5f], file.ReadFloats("f16"));
        Assert.Equal([1.5f], file.ReadFloats("bf16"));
        Assert.Equal([-(1L << 40)], file.ReadInt64("i64"));
        Assert.Empty(file.GetInfo("i64").Shape);
        Assert.Equal(1, file.GetInfo("i64").ElementCount);
    }

    [Fact]
    public void ReadingTheWrongWayNamesTheFileAndTensor()
    {
        var path = _dir.File("d.safetensors");
        SafeTensorsWriter.WriteFile(path, Sample());
        using var file = SafeTensorsFile.Open(path);

        AssertProblem(() => file.ReadFloats("nope"), path, "no tensor 'nope'");
        AssertProblem(() => file.ReadInt64("input"), path, "tensor 'input' has dtype F32, not I64");
        AssertProblem(() => file.ReadInt32("input"), path, "tensor 'input' has dtype F32, not I32");
        AssertProblem(() => file.ReadFloats("input", new float[11]), path, "tensor 'input' has 12 elements (2, 1, 2, 3), but the destination holds 11");
    }

    [Fact]
    public void IntegerTensorsAreNotReadAsFloats()
    {
        var data = new byte[8];
        var path = RawSafeTensors.WriteFile(_dir, "{" + RawSafeTensors.Entry("n", "I32", [2], 0, 8) + "}", data);
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal([0, 0], file.ReadInt32("n"));
        AssertProblem(() => file.ReadFloats("n"), path, "tensor 'n' has dtype I32, not a floating-point type");
    }

    [Fact]
    public void FileCanBeReplacedWhileOpenAndReadsStayConsistent()
    {
        var path = _dir.File("e.safetensors");
        SafeTensorsWriter.WriteFile(path, [new SafeTensor("x", [2], [1f, 2f])]);
        using var file = SafeTensorsFile.Open(path);
        // An atomic rewrite replaces the directory entry; the open handle keeps the old content.
        SafeTensorsWriter.WriteFile(path, [new SafeTensor("x", [2], [3f, 4f])]);
        Assert.Equal([1f, 2f], file.ReadFloats("x"));
    }

    internal static void AssertProblem(Action action, string path, string expected)
    {
        var e = Assert.Throws<CheckpointException>(action);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(expected, e.Message);
    }
}
