using System.Buffers.Binary;
using XceptionCompiler.Runtime.Checkpoints;
using Xunit;
using static XceptionCompiler.Runtime.Tests.Checkpoints.RawSafeTensors;

namespace XceptionCompiler.Runtime.Tests.Checkpoints;

/// <summary>Every way a file can be broken gives a <see cref="CheckpointException"/> that names the file and the problem.</summary>
public sealed class SafeTensorsCorruptFileTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Eight = Floats(1f, 2f);

    /// <summary>Case name → (file bytes, phrase the message must contain).</summary>
    private static readonly Dictionary<string, (Func<byte[]> Bytes, string Expected)> Cases = new()
    {
        ["empty file"] = (() => [], "the file is 0 bytes long; a safetensors file starts with an 8-byte header length"),
        ["seven bytes"] = (() => new byte[7], "the file is 7 bytes long"),
        ["header length past the end"] = (() => Build("{}", [], declaredLength: 3), "the header length 3 runs past the end of the file (10 bytes)"),
        ["header length huge"] = (() => Build("{}", [], declaredLength: ulong.MaxValue), $"the header length {ulong.MaxValue} runs past the end"),
        ["not an object"] = (() => Build("[1,2]", []), "the header does not start with '{'"),
        ["zero-length header"] = (() => Build("", Eight), "the header does not start with '{'"),
        ["garbage JSON"] = (() => Build("{garbage", []), "the header is not valid JSON"),
        ["truncated JSON"] = (() => Build("{\"x\":{\"dtype\":\"F32\"", []), "the header is not valid JSON"),
        ["trailing garbage"] = (() => Build("{} x", []), "the header is not valid JSON"),
        ["duplicate name"] = (() => Build("{" + Entry("x", "F32", [1], 0, 4) + "," + Entry("x", "F32", [1], 4, 8) + "}", Eight), "the header names 'x' twice"),
        ["metadata not an object"] = (() => Build("{\"__metadata__\":[1]}", []), "'__metadata__' must be an object of strings, found Array"),
        ["metadata value not a string"] = (() => Build("{\"__metadata__\":{\"epoch\":3}}", []), "'__metadata__' entry 'epoch' must be a string, found Number"),
        ["entry not an object"] = (() => Build("{\"x\":5}", []), "tensor 'x': the entry must be an object"),
        ["no dtype"] = (() => Build("{\"x\":{\"shape\":[2],\"data_offsets\":[0,8]}}", Eight), "tensor 'x': no 'dtype'"),
        ["no shape"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", Eight), "tensor 'x': no 'shape'"),
        ["no data_offsets"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", Eight), "tensor 'x': no 'data_offsets'"),
        ["unsupported dtype"] = (() => Build("{" + Entry("x", "U8", [8], 0, 8) + "}", Eight), "tensor 'x': unsupported dtype 'U8' (supported: F32, F64, F16, BF16, I64, I32)"),
        ["lower-case dtype"] = (() => Build("{" + Entry("x", "f32", [2], 0, 8) + "}", Eight), "unsupported dtype 'f32'"),
        ["numeric dtype"] = (() => Build("{\"x\":{\"dtype\":0,\"shape\":[2],\"data_offsets\":[0,8]}}", Eight), "unsupported dtype '0'"),
        ["negative dimension"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", Eight), "tensor 'x': 'shape' must be an array of non-negative integers, found [-2]"),
        ["fractional dimension"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", Eight), "'shape' must be an array of non-negative integers"),
        ["shape not an array"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", Eight), "'shape' must be an array"),
        ["three offsets"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", Eight), "tensor 'x': 'data_offsets' must be [begin, end]"),
        ["begin after end"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", Eight), "'data_offsets' must be [begin, end] with 0 <= begin <= end, found [8,0]"),
        ["negative offset"] = (() => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", Eight), "'data_offsets' must be [begin, end]"),
        ["offsets past the data"] = (() => Build("{" + Entry("x", "F32", [4], 0, 16) + "}", Eight), "tensor 'x': data_offsets [0, 16] run past the end of the data section (8 bytes)"),
        ["span does not match shape"] = (() => Build("{" + Entry("x", "F32", [3], 0, 8) + "}", Eight), "tensor 'x': data_offsets [0, 8] span 8 bytes, but shape (3,) of F32 needs 12"),
        ["span does not match dtype"] = (() => Build("{" + Entry("x", "F64", [2], 0, 8) + "}", Eight), "shape (2,) of F64 needs 16"),
        ["shape too large"] = (() => Build("{" + Entry("x", "F32", [2147483647, 2147483647, 2147483647], 0, 8) + "}", Eight), "tensor 'x': shape (2147483647, 2147483647, 2147483647) is too large"),
        ["overlap"] = (() => Build("{" + Entry("a", "F32", [2], 0, 8) + "," + Entry("b", "F32", [1], 4, 8) + "}", Eight), "tensors 'a' [0, 8] and 'b' [4, 8] overlap"),
        ["hole between tensors"] = (() => Build("{" + Entry("a", "F32", [1], 0, 4) + "," + Entry("b", "F32", [1], 8, 12) + "}", Floats(1f, 2f, 3f)), "4 unused bytes between tensors 'a' and 'b'"),
        ["hole at the start"] = (() => Build("{" + Entry("a", "F32", [1], 4, 8) + "}", Eight), "4 unused bytes before tensor 'a'"),
        ["bytes after the last tensor"] = (() => Build("{" + Entry("a", "F32", [1], 0, 4) + "}", Eight), "the data section has 4 bytes after the last tensor"),
        ["truncated data"] = (() => Build("{" + Entry("a", "F32", [2], 0, 8) + "," + Entry("b", "F32", [2], 8, 16) + "}", Floats(1f, 2f, 3f)), "tensor 'b': data_offsets [8, 16] run past the end of the data section (12 bytes); the file is truncated"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void CorruptFileIsRejectedWithAMessageNamingFileAndProblem(string name)
    {
        var (bytes, expected) = Cases[name];
        var path = _dir.File(name.Replace(' ', '-') + ".safetensors");
        File.WriteAllBytes(path, bytes());
        SafeTensorsRoundTripTests.AssertProblem(() => SafeTensorsFile.Open(path).Dispose(), path, expected);
    }

    [Fact]
    public void HeaderLongerThanTheLimitIsRejectedWithoutReadingIt()
    {
        var path = _dir.File("huge.safetensors");
        using (var stream = File.Create(path))
        {
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, SafeTensorsHeader.MaxLength + 1);
            stream.Write(length);
            stream.SetLength(SafeTensorsHeader.MaxLength + 100); // sparse: costs no disk
        }
        SafeTensorsRoundTripTests.AssertProblem(() => SafeTensorsFile.Open(path).Dispose(), path, "exceeds the 100000000-byte limit");
    }

    [Fact]
    public void MissingFileIsACheckpointException()
    {
        var path = _dir.File("absent.safetensors");
        SafeTensorsRoundTripTests.AssertProblem(() => SafeTensorsFile.Open(path).Dispose(), path, "cannot open the file");
    }

    [Fact]
    public void TruncatingAWrittenFileIsDetected()
    {
        var path = _dir.File("t.safetensors");
        SafeTensorsWriter.WriteFile(path, [new SafeTensor("a", [4], [1f, 2f, 3f, 4f]), new SafeTensor("b", [2], [5f, 6f])]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^1]);
        SafeTensorsRoundTripTests.AssertProblem(() => SafeTensorsFile.Open(path).Dispose(), path, "tensor 'b': data_offsets [16, 24] run past the end of the data section (23 bytes)");
        File.WriteAllBytes(path, bytes[..20]);
        SafeTensorsRoundTripTests.AssertProblem(() => SafeTensorsFile.Open(path).Dispose(), path, "runs past the end of the file (20 bytes)");
    }
}
