namespace XceptionCompiler.Runtime.Data;

/// <summary>Opens a data set by MindCV's dataset name; every problem with the directory or its files is a <see cref="DataException"/>.</summary>
public static class DataSources
{
    /// <summary>The dataset names <see cref="Open"/> accepts (as in MindCV configs; "" is MindCV's custom folder).</summary>
    public static IReadOnlyList<string> Names { get; } = ["fashion_mnist", "imagenet", ""];

    /// <summary>
    /// Opens <paramref name="split"/> ("train" or "val"; Fashion-MNIST also takes "test") of <paramref name="dataset"/>.
    /// Fashion-MNIST reads from <paramref name="dataDir"/> or, when it is null, from /usr/share/datasets/fashion-mnist.
    /// An image folder ("imagenet" or "") needs <paramref name="dataDir"/>, laid out as dataDir/split/class/image;
    /// pass the training source's <see cref="IImageSource.ClassNames"/> as <paramref name="expectedClasses"/> when
    /// opening validation, so a class folder missing from one split is an error rather than shifted labels.
    /// </summary>
    public static IImageSource Open(string dataset, string? dataDir, string split, IReadOnlyList<string>? expectedClasses = null)
    {
        switch (dataset.Trim().ToLowerInvariant().Replace('-', '_'))
        {
            case "fashion_mnist" or "fashionmnist":
                var fashion = FashionMnistSource.Open(dataDir, split);
                if (expectedClasses is not null && !expectedClasses.SequenceEqual(fashion.ClassNames))
                    throw new DataException(fashion.ImagesPath, "Fashion-MNIST's classes differ from the classes expected");
                return fashion;
            case "imagenet" or "":
                if (string.IsNullOrWhiteSpace(dataDir))
                    throw new DataException("(no --data-dir)", $"dataset '{dataset}' is an image folder and needs data_dir: a directory holding {split}/<class>/<image>.jpg");
                return ImageFolderSource.Open(dataDir, split, expectedClasses);
            default:
                throw new DataException(dataDir ?? "(no --data-dir)", $"unknown dataset '{dataset}'; known: fashion_mnist, imagenet (an ImageNet-style folder, also for custom data)");
        }
    }
}
