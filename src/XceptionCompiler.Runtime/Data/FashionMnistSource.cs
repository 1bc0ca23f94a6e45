namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Fashion-MNIST (Zalando): 28x28 gray images in 10 classes, 60,000 for training and 10,000 for testing, read from
/// the four IDX files (gzipped or not) into memory once.
/// </summary>
public sealed class FashionMnistSource : IImageSource
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public const int Side = 28;

    /// <summary>The class names in label order, as the data set's authors give them.</summary>
    public static IReadOnlyList<string> Classes { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private readonly byte[] _pixels; // (Count, 28, 28)
    private readonly byte[] _labels; // (Count)

    private FashionMnistSource(string description, string imagesPath, byte[] pixels, byte[] labels)
    {
        Description = description;
        ImagesPath = imagesPath;
        _pixels = pixels;
        _labels = labels;
    }

    /// <summary>
    /// Opens a split: "train" reads train-images/train-labels, "val" or "test" reads t10k-*. Each file may be named
    /// <c>*-idx3-ubyte</c>, <c>*.idx3-ubyte</c> or either with <c>.gz</c>. A <paramref name="directory"/> of null means
    /// <see cref="DefaultDirectory"/>.
    /// </summary>
    public static FashionMnistSource Open(string? directory, string split)
    {
        var dir = directory ?? DefaultDirectory;
        var prefix = split.ToLowerInvariant() switch
        {
            "train" => "train",
            "val" or "test" or "t10k" => "t10k",
            _ => throw new DataException(dir, $"Fashion-MNIST has the splits 'train' and 'val' (or 'test'), not '{split}'"),
        };
        if (!Directory.Exists(dir))
            throw new DataException(dir, $"the Fashion-MNIST directory does not exist. {HowToGet}");

        var imagesPath = Find(dir, prefix, "images", 3);
        var labelsPath = Find(dir, prefix, "labels", 1);
        var images = IdxFile.Read(imagesPath, expectedMagic: IdxFile.ImagesMagic);
        var labels = IdxFile.Read(labelsPath, expectedMagic: IdxFile.LabelsMagic);

        if (images.Dimensions[1] != Side || images.Dimensions[2] != Side)
            throw new DataException(imagesPath, $"images are {images.Dimensions[1]}x{images.Dimensions[2]}, Fashion-MNIST's are {Side}x{Side}");
        if (images.Dimensions[0] != labels.Dimensions[0])
            throw new DataException(imagesPath, $"holds {images.Dimensions[0]} images but {labelsPath} holds {labels.Dimensions[0]} labels");
        for (var i = 0; i < labels.Data.Length; i++)
            if (labels.Data[i] >= Classes.Count)
                throw new DataException(labelsPath, $"label {labels.Data[i]} of image {i} is outside 0..{Classes.Count - 1}");

        return new FashionMnistSource($"Fashion-MNIST {prefix} ({dir})", imagesPath, images.Data, labels.Data);
    }

    public static string HowToGet =>
        $"Install the data with `apt-get install dataset-fashion-mnist` (it goes to {DefaultDirectory}), or point --data-dir at a folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.";

    public string Description { get; }

    /// <summary>The images file this split was read from.</summary>
    public string ImagesPath { get; }

    public int Count => _labels.Length;

    public IReadOnlyList<string> ClassNames => Classes;

    public int Channels => 1;

    /// <summary>All pixels, (Count, 28, 28), as stored (0 = background).</summary>
    public ReadOnlySpan<byte> AllPixels => _pixels;

    public int LabelOf(int index) => _labels[index];

    public string PathOf(int index) => $"{ImagesPath}[{index}]";

    public void Read(int index, PixelImage destination)
    {
        destination.Reset(Side, Side, 1);
        _pixels.AsSpan(index * Side * Side, Side * Side).CopyTo(destination.Pixels);
    }

    private static string Find(string dir, string prefix, string kind, int dims)
    {
        string[] names =
        [
            $"{prefix}-{kind}-idx{dims}-ubyte", $"{prefix}-{kind}-idx{dims}-ubyte.gz",
            $"{prefix}-{kind}.idx{dims}-ubyte", $"{prefix}-{kind}.idx{dims}-ubyte.gz",
        ];
        foreach (var name in names)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
                return path;
        }
        throw new DataException(Path.Combine(dir, names[1]), $"missing (looked for {string.Join(", ", names)} in {dir}). {HowToGet}");
    }
}
