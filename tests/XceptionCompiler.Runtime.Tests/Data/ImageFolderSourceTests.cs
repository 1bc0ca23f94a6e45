using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Tests.Checkpoints;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>ImageNet-style folders of JPEGs generated with SkiaSharp, including unreadable files.</summary>
public sealed class ImageFolderSourceTests(ImageFolderFixture folder) : IClassFixture<ImageFolderFixture>
{
    [Fact]
    public void Classes_are_sorted_and_only_image_files_count()
    {
        var source = DataSources.Open("imagenet", folder.Root, "train");
        Assert.Equal(ImageFolderFixture.Classes, source.ClassNames);
        // 8 JPEGs per class, plus the corrupt .jpg and the zero-byte .JPEG; notes.txt is not an image.
        Assert.Equal(3 * ImageFolderFixture.PerClass + 2, source.Count);
        Assert.Equal(3, source.Channels);
        Assert.Equal(0, source.LabelOf(0));
        Assert.Equal(Path.Combine(folder.Root, "train", "ant", "img00.jpg"), source.PathOf(0));
        Assert.Equal(1, source.LabelOf(ImageFolderFixture.PerClass));
        Assert.Equal(folder.CorruptPath, source.PathOf(2 * ImageFolderFixture.PerClass)); // img99.jpg sorts last in bee
        Assert.Equal(2, source.LabelOf(source.Count - 1));
        Assert.Equal(folder.EmptyPath, source.PathOf(source.Count - 1)); // "zero.JPEG" sorts after "img07.jpg"
    }

    [Fact]
    public void Decoding_gives_rgb_of_the_file_size_and_colour()
    {
        var source = DataSources.Open("imagenet", folder.Root, "train");
        var image = new PixelImage();
        source.Read(ImageFolderFixture.PerClass + 3, image); // bee/img03.jpg: green, 40 + 17*3 wide
        Assert.Equal((91, 3), (image.Width, image.Channels));
        var right = (image[image.Width - 3, image.Height / 2, 0], image[image.Width - 3, image.Height / 2, 1], image[image.Width - 3, image.Height / 2, 2]);
        Assert.InRange(right.Item2, 200, 240);
        Assert.InRange(right.Item1, 0, 50);
        Assert.InRange(image[2, image.Height / 2, 1], 10, 50); // left half dark
    }

    [Fact]
    public void Unreadable_files_throw_a_decode_error_naming_them()
    {
        var source = DataSources.Open("imagenet", folder.Root, "train");
        var image = new PixelImage();
        var corrupt = Assert.Throws<ImageDecodeException>(() => source.Read(2 * ImageFolderFixture.PerClass, image));
        Assert.Equal(folder.CorruptPath, corrupt.Path);
        var empty = Assert.Throws<ImageDecodeException>(() => source.Read(source.Count - 1, image));
        Assert.Equal(folder.EmptyPath, empty.Path);
        Assert.Contains("empty", empty.Message);
    }

    [Fact]
    public void The_loader_skips_unreadable_files_reports_each_once_and_keeps_batches_full()
    {
        var source = DataSources.Open("imagenet", folder.Root, "train");
        var transform = Transforms.Create("imagenet", training: true, new AugmentationOptions { ImageResize = 32, AutoAugment = "autoaug", ReProb = 0.5 }, 3);
        using var loader = new DataLoader(source, transform, new LoaderOptions(BatchSize: 13, Shuffle: true, DropRemainder: false, Seed: 5, Workers: 2, Prefetch: 2));
        var events = new List<SkippedImage>();
        loader.ImageSkipped += events.Add;
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var seen = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                seen += batch.Count;
                for (var i = 0; i < batch.Count; i++)
                {
                    var path = source.PathOf(batch.SampleIndices[i]);
                    Assert.NotEqual(folder.CorruptPath, path);
                    Assert.NotEqual(folder.EmptyPath, path);
                    Assert.Equal(source.LabelOf(batch.SampleIndices[i]), batch.Labels[i]);
                }
            }
            Assert.Equal(source.Count, seen); // replaced, not dropped
        }
        Assert.Equal(new[] { folder.CorruptPath, folder.EmptyPath }.Order(), loader.Skipped.Select(s => s.Path).Order());
        Assert.Equal(loader.Skipped.Select(s => s.Path).Order(), events.Select(s => s.Path).Order());
    }

    [Fact]
    public void Validation_split_must_have_the_training_classes()
    {
        var train = DataSources.Open("imagenet", folder.Root, "train");
        var val = DataSources.Open("imagenet", folder.Root, "val", train.ClassNames);
        Assert.Equal(6, val.Count);
        var e = Assert.Throws<DataException>(() => DataSources.Open("imagenet", folder.Root, "val", ["ant", "bee", "cat", "dog"]));
        Assert.Contains("missing: dog", e.Message);
    }

    [Fact]
    public void Layout_problems_name_the_path()
    {
        using var dir = new TestDirectory();
        var missing = Path.Combine(dir.Path, "nope");
        Assert.Equal(missing, Assert.Throws<DataException>(() => DataSources.Open("imagenet", missing, "train")).Path);

        Assert.Contains("'train' split folder does not exist", Assert.Throws<DataException>(() => DataSources.Open("imagenet", dir.Path, "train")).Message);

        Directory.CreateDirectory(Path.Combine(dir.Path, "train"));
        var noClasses = Assert.Throws<DataException>(() => DataSources.Open("imagenet", dir.Path, "train"));
        Assert.Equal(Path.Combine(dir.Path, "train"), noClasses.Path);
        Assert.Contains("no class folders", noClasses.Message);

        Directory.CreateDirectory(Path.Combine(dir.Path, "train", "a"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "train", "b"));
        ImageFolderFixture.WriteJpeg(Path.Combine(dir.Path, "train", "a", "x.jpeg"), 8, 8, 0);
        File.WriteAllText(Path.Combine(dir.Path, "train", "b", "readme.md"), "");
        var empty = Assert.Throws<DataException>(() => DataSources.Open("imagenet", dir.Path, "train"));
        Assert.Equal(Path.Combine(dir.Path, "train", "b"), empty.Path);
        Assert.Contains("holds no images", empty.Message);
    }
}
