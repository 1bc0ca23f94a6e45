using XceptionCompiler.Runtime.Checkpoints;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Checkpoints;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Passes writes through until a byte budget is spent, then fails like a full disk.</summary>
    private sealed class FailingStream(Stream inner, long budget) : Stream
    {
        private long _left = budget;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, _left);
            inner.Write(buffer[..n]);
            _left -= n;
            if (n < buffer.Length)
                throw new IOException("No space left on device (simulated)");
        }

        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static SafeTensor[] Tensors(float value) =>
        [new SafeTensor("a", [1000], Enumerable.Repeat(value, 1000).ToArray()), new SafeTensor("b", [3], [value, value, value])];

    [Fact]
    public void WriteThatFailsMidwayLeavesThePreviousFileAndNoTempFile()
    {
        var path = _dir.File("ckpt.safetensors");
        SafeTensorsWriter.WriteFile(path, Tensors(1f));
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<IOException>(() =>
            AtomicFile.Write(path, stream => SafeTensorsWriter.Write(new FailingStream(stream, 1000), Tensors(2f))));

        Assert.Contains("simulated", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["ckpt.safetensors"], _dir.Entries());
        using var file = SafeTensorsFile.Open(path);
        Assert.All(file.ReadFloats("a"), x => Assert.Equal(1f, x));
    }

    [Fact]
    public void ExceptionBeforeAnyByteLeavesNoTargetWhenThereWasNone()
    {
        var path = _dir.File("new.safetensors");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("boom")));
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void SuccessfulWriteReplacesTheTargetAndCleansUp()
    {
        var path = _dir.File("ckpt.safetensors");
        SafeTensorsWriter.WriteFile(path, Tensors(1f));
        SafeTensorsWriter.WriteFile(path, Tensors(3f));

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal([3f, 3f, 3f], file.ReadFloats("b"));
        Assert.Equal(["ckpt.safetensors"], _dir.Entries());
    }

    [Fact]
    public void MissingDirectoriesAreCreated()
    {
        var path = Path.Combine(_dir.Path, "runs", "1", "ckpt.safetensors");
        AtomicFile.Write(path, s => s.WriteByte(7));
        Assert.Equal([(byte)7], File.ReadAllBytes(path));
    }
}
