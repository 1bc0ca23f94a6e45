using SkiaSharp;

namespace XceptionCompiler.Reference.Data;

/// <summary>
/// JPEGs and ImageNet-style folders made by the tests, since real ImageNet cannot be downloaded here. Each class has
/// its own colour; the left half of an image is dark and the right half bright, so flips and crops are visible and a
/// small network can learn the classes quickly.
/// </summary>
public static class SyntheticImages
{
    private static readonly (byte R, byte G, byte B)[] Hues = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (0, 1, 1), (1, 0, 1)];

    public static void WriteJpeg(string path, int width, int height, int classIndex)
    {
        (byte r, byte g, byte b) = Hues[classIndex % Hues.Length];
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte bright = x >= width / 2 ? (byte)220 : (byte)30;
                bitmap.SetPixel(x, y, new SKColor(r == 1 ? bright : (byte)20, g == 1 ? bright : (byte)20, b == 1 ? bright : (byte)20));
            }
        }

        using SKData data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>
    /// Writes root/train/&lt;class&gt;/*.jpg and root/val/&lt;class&gt;/*.jpg, images of varying sizes around
    /// <paramref name="size"/>; returns the class names in sorted order.
    /// </summary>
    public static string[] WriteFolder(string root, int classes, int trainPerClass, int valPerClass, int size = 40)
    {
        string[] names = Enumerable.Range(0, classes).Select(c => "class" + (char)('a' + c)).ToArray();
        for (int c = 0; c < classes; c++)
        {
            string train = Directory.CreateDirectory(Path.Combine(root, "train", names[c])).FullName;
            for (int i = 0; i < trainPerClass; i++)
            {
                WriteJpeg(Path.Combine(train, $"img{i:D3}.jpg"), size + (7 * (i % 5)), size + (5 * ((i + c) % 4)), c);
            }

            string val = Directory.CreateDirectory(Path.Combine(root, "val", names[c])).FullName;
            for (int i = 0; i < valPerClass; i++)
            {
                WriteJpeg(Path.Combine(val, $"val{i:D3}.JPEG"), size + (3 * i), size, c);
            }
        }

        return names;
    }
}
