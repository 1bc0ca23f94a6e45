namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// A labelled image data set with random access by index. <see cref="Read"/> is called from several worker threads
/// at once and must be thread-safe; everything else is fixed once the source is open.
/// </summary>
public interface IImageSource
{
    /// <summary>Where the data comes from and which split, for logs and messages.</summary>
    string Description { get; }

    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Class names; a label is an index into this list.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Channels <see cref="Read"/> produces: 1 (gray) or 3 (RGB).</summary>
    int Channels { get; }

    /// <summary>The label of image <paramref name="index"/>, known without decoding.</summary>
    int LabelOf(int index);

    /// <summary>Where image <paramref name="index"/> lives (a file path, or file and record), for messages.</summary>
    string PathOf(int index);

    /// <summary>
    /// Decodes image <paramref name="index"/> into <paramref name="destination"/> (resized to fit, with
    /// <see cref="Channels"/> channels). Throws <see cref="ImageDecodeException"/> when this one image is unreadable.
    /// </summary>
    void Read(int index, PixelImage destination);
}
