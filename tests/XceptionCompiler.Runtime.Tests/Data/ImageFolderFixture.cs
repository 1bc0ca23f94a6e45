using XceptionCompiler.Reference.Data;
using XceptionCompiler.Runtime.Tests.Checkpoints;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>
/// An ImageNet-style folder written once per test class: train/ with 3 classes (created out of order) x 8 JPEGs of
/// different sizes, plus a corrupt file with a .jpg name, a zero-byte .JPEG and a non-image file; val/ with 2 per class.
/// </summary>
public sealed class ImageFolderFixture : IDisposable
{
    public static readonly string[] Classes = ["ant", "bee", "cat"];
    public const int PerClass = 8;

    private readonly TestDirectory _dir = new();

    public ImageFolderFixture()
    {
        foreach (var (cls, c) in Classes.Reverse().Select((n, i) => (n, Classes.Length - 1 - i)))
        {
            var dir = Directory.CreateDirectory(Path.Combine(Root, "train", cls)).FullName;
            for (var i = 0; i < PerClass; i++)
                WriteJpeg(Path.Combine(dir, $"img{i:D2}.jpg"), 40 + 17 * i, 30 + 11 * ((i + c) % 5), c);
            var val = Directory.CreateDirectory(Path.Combine(Root, "val", cls)).FullName;
            for (var i = 0; i < 2; i++)
                WriteJpeg(Path.Combine(val, $"v{i}.JPG"), 64, 48, c);
        }
        CorruptPath = Path.Combine(Root, "train", "bee", "img99.jpg");
        File.WriteAllBytes(CorruptPath, [0xFF, 0xD8, 0xFF, 0xE0, .. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))]);
        EmptyPath = Path.Combine(Root, "train", "cat", "zero.JPEG");
        File.WriteAllBytes(EmptyPath, []);
        File.WriteAllText(Path.Combine(Root, "train", "ant", "notes.txt"), "not an image");
    }

    public string Root => _dir.Path;
    public string CorruptPath { get; }
    public string EmptyPath { get; }

    /// <summary>A JPEG whose left half is dark and right half bright in the class's colour, so flips and crops are visible.</summary>
    public static void WriteJpeg(string path, int width, int height, int classIndex) => SyntheticImages.WriteJpeg(path, width, height, classIndex);

    public void Dispose() => _dir.Dispose();
}
