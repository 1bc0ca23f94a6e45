using XceptionCompiler.Runtime.Data;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>The real Fashion-MNIST files from Debian's dataset-fashion-mnist package.</summary>
public sealed class FashionMnistSourceTests
{
    // Loaded once for the class: the training images are 47 MB.
    private static readonly Lazy<FashionMnistSource> s_train = new(() => Open("train"));
    private static readonly Lazy<FashionMnistSource> s_val = new(() => Open("val"));

    private static FashionMnistSource Open(string split)
    {
        Assert.True(Directory.Exists(FashionMnistSource.DefaultDirectory),
            $"{FashionMnistSource.DefaultDirectory} is missing: run `apt-get install dataset-fashion-mnist`");
        return (FashionMnistSource)DataSources.Open("fashion_mnist", null, split);
    }

    [Fact]
    public void Splits_have_the_published_counts_and_ten_labels()
    {
        Assert.Equal(60000, s_train.Value.Count);
        Assert.Equal(10000, s_val.Value.Count);
        Assert.Equal(10000, ((FashionMnistSource)DataSources.Open("fashion-mnist", null, "test")).Count);
        foreach (var source in new[] { s_train.Value, s_val.Value })
        {
            var perClass = new int[10];
            for (var i = 0; i < source.Count; i++)
                perClass[source.LabelOf(i)]++;
            // Both splits are balanced: 6000 and 1000 per class.
            Assert.All(perClass, n => Assert.Equal(source.Count / 10, n));
        }
        Assert.Equal("T-shirt/top", s_train.Value.ClassNames[0]);
        Assert.Equal("Ankle boot", s_train.Value.ClassNames[9]);
        Assert.Equal(1, s_train.Value.Channels);
    }

    [Fact]
    public void Training_pixels_have_the_known_mean_and_std()
    {
        double sum = 0, squares = 0;
        foreach (var v in s_train.Value.AllPixels)
        {
            sum += v;
            squares += v * v;
        }
        var n = (double)s_train.Value.AllPixels.Length;
        var mean = sum / n / 255;
        var std = Math.Sqrt(squares / n - (sum / n) * (sum / n)) / 255;
        Assert.InRange(mean, 0.2855, 0.2865); // 0.2860 in the literature
        Assert.InRange(std, 0.3525, 0.3535);  // 0.3530
        // The normalisation defaults are these statistics.
        Assert.Equal(mean * 255, AugmentationOptions.FashionMnistMean[0], 0.2);
        Assert.Equal(std * 255, AugmentationOptions.FashionMnistStd[0], 0.2);
    }

    [Fact]
    public void Read_copies_one_28x28_image()
    {
        var image = new PixelImage();
        s_train.Value.Read(59999, image);
        Assert.Equal((28, 28, 1), (image.Width, image.Height, image.Channels));
        Assert.True(image.Pixels.SequenceEqual(s_train.Value.AllPixels.Slice(59999 * 784, 784)));
        Assert.Contains("train-images", s_train.Value.PathOf(3));
    }

    [Fact]
    public void A_missing_directory_names_the_path_and_the_package()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-fashion-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", missing, "train"));
        Assert.Equal(missing, e.Path);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void Unknown_dataset_and_split_are_errors()
    {
        Assert.Contains("unknown dataset 'cifar7'", Assert.Throws<DataException>(() => DataSources.Open("cifar7", "/tmp", "train")).Message);
        Assert.Contains("'holdout'", Assert.Throws<DataException>(() => DataSources.Open("fashion_mnist", null, "holdout")).Message);
        Assert.Contains("needs data_dir", Assert.Throws<DataException>(() => DataSources.Open("imagenet", null, "train")).Message);
    }
}
