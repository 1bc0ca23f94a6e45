using System.Buffers.Binary;
using System.IO.Compression;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Tests.Checkpoints;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>Small IDX files written by the test: raw and gzipped, whole, truncated and corrupt.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[] Images(int count) =>
        Idx(IdxFile.ImagesMagic, [count, 28, 28], Enumerable.Range(0, count * 784).Select(i => (byte)(i / 784 * 10 + i % 7)).ToArray());

    private static byte[] Labels(int count) => Idx(IdxFile.LabelsMagic, [count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray());

    private void Write(string name, byte[] bytes, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(_dir.File(name), bytes);
            return;
        }
        using var file = File.Create(_dir.File(name + ".gz"));
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(bytes);
    }

    private void WriteSplit(string prefix, int images, int labels, bool gzip)
    {
        Write($"{prefix}-images-idx3-ubyte", Images(images), gzip);
        Write($"{prefix}-labels-idx1-ubyte", Labels(labels), gzip);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Raw_and_gzipped_files_read_the_same(bool gzip)
    {
        WriteSplit("t10k", 5, 5, gzip);
        var source = (FashionMnistSource)DataSources.Open("fashion_mnist", _dir.Path, "val");
        Assert.Equal(5, source.Count);
        Assert.Equal(3, source.LabelOf(3));
        var image = new PixelImage();
        source.Read(4, image);
        Assert.Equal(40 + 5, image[5, 0]);
        Assert.EndsWith(gzip ? "t10k-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte", source.ImagesPath);
    }

    [Fact]
    public void A_truncated_images_file_says_how_many_bytes_were_expected_and_found()
    {
        var bytes = Images(10)[..(16 + 1000)];
        Write("train-images-idx3-ubyte", bytes, gzip: false);
        Write("train-labels-idx1-ubyte", Labels(10), gzip: false);
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train"));
        Assert.Equal(_dir.File("train-images-idx3-ubyte"), e.Path);
        Assert.Contains("expected 7840 bytes of pixels (10 images of 28x28) after the 16-byte header, found 1000", e.Message);
    }

    [Fact]
    public void A_truncated_gzip_file_is_an_error_naming_it()
    {
        using (var file = File.Create(_dir.File("full.gz")))
        using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            zip.Write(Images(50));
        var whole = File.ReadAllBytes(_dir.File("full.gz"));
        File.WriteAllBytes(_dir.File("train-images-idx3-ubyte.gz"), whole[..(whole.Length / 2)]);
        Write("train-labels-idx1-ubyte", Labels(50), gzip: true);
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train"));
        Assert.Equal(_dir.File("train-images-idx3-ubyte.gz"), e.Path);
        Assert.Matches("found \\d+|not a valid gzip", e.Problem);
    }

    [Fact]
    public void Garbage_with_a_gz_name_is_not_a_valid_gzip_file()
    {
        File.WriteAllBytes(_dir.File("train-images-idx3-ubyte.gz"), Enumerable.Range(0, 500).Select(i => (byte)(i * 31)).ToArray());
        Write("train-labels-idx1-ubyte", Labels(1), gzip: false);
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train"));
        Assert.Contains("not a valid gzip file", e.Message);
    }

    [Fact]
    public void Wrong_magic_numbers_are_named()
    {
        Write("train-images-idx3-ubyte", Labels(3), gzip: false); // a labels file where images belong
        Write("train-labels-idx1-ubyte", Labels(3), gzip: false);
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train"));
        Assert.Contains("magic number is 2049", e.Message);
        Assert.Contains("expected 2051", e.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_an_error()
    {
        Write("train-images-idx3-ubyte", [.. Images(2), 1, 2, 3], gzip: false);
        Write("train-labels-idx1-ubyte", Labels(2), gzip: false);
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train"));
        Assert.Contains("3 too many", e.Message);
    }

    [Fact]
    public void Image_and_label_counts_must_match()
    {
        WriteSplit("train", 4, 5, gzip: false);
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train"));
        Assert.Contains("holds 4 images but", e.Message);
        Assert.Contains("holds 5 labels", e.Message);
    }

    [Fact]
    public void Labels_outside_the_ten_classes_and_wrong_image_sizes_are_errors()
    {
        Write("train-images-idx3-ubyte", Images(2), gzip: false);
        Write("train-labels-idx1-ubyte", Idx(IdxFile.LabelsMagic, [2], [1, 12]), gzip: false);
        Assert.Contains("label 12 of image 1", Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train")).Message);

        Write("train-images-idx3-ubyte", Idx(IdxFile.ImagesMagic, [1, 32, 32], new byte[1024]), gzip: false);
        Write("train-labels-idx1-ubyte", Labels(1), gzip: false);
        Assert.Contains("images are 32x32", Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train")).Message);
    }

    [Fact]
    public void Missing_files_name_what_was_looked_for_and_how_to_get_it()
    {
        Write("train-images-idx3-ubyte", Images(1), gzip: true);
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", _dir.Path, "train"));
        Assert.Contains("train-labels-idx1-ubyte", e.Path);
        Assert.Contains("missing", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }
}
