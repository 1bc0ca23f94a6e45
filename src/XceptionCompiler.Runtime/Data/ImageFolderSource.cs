namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// An ImageNet-style folder: <c>root/&lt;split&gt;/&lt;class&gt;/&lt;image&gt;</c>. Classes are the split's sub-folders in ordinal
/// name order (label = position); images are the files directly inside a class folder with an image extension
/// (.jpg .jpeg .png .bmp .webp, any case), in ordinal name order. Names starting with '.' are ignored.
/// Decoding happens on demand in <see cref="Read"/>.
/// </summary>
public sealed class ImageFolderSource : IImageSource
{
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    private readonly string[] _classDirs;
    private readonly string[] _files;       // file names, grouped by class
    private readonly int[] _classStart;     // first file of each class, plus the total at the end

    private ImageFolderSource(string splitDir, string[] classNames, string[] classDirs, string[] files, int[] classStart)
    {
        SplitDirectory = splitDir;
        ClassNames = classNames;
        _classDirs = classDirs;
        _files = files;
        _classStart = classStart;
    }

    /// <summary>
    /// Scans <paramref name="root"/>/<paramref name="split"/>. When <paramref name="expectedClasses"/> is given (the
    /// training split's classes, when opening validation), the split must have exactly those class folders, so labels agree.
    /// </summary>
    public static ImageFolderSource Open(string root, string split, IReadOnlyList<string>? expectedClasses = null)
    {
        if (!Directory.Exists(root))
            throw new DataException(root, $"the data directory does not exist (expected an ImageNet-style layout: {Path.Combine(root, split, "<class>", "<image>.jpg")})");
        var splitDir = Path.Combine(root, split);
        if (!Directory.Exists(splitDir))
        {
            var present = Directory.EnumerateDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            throw new DataException(splitDir, $"the '{split}' split folder does not exist (the data directory holds: {(present.Length == 0 ? "nothing" : string.Join(", ", present))})");
        }

        var classNames = Directory.EnumerateDirectories(splitDir)
            .Select(d => Path.GetFileName(d)!)
            .Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (classNames.Length == 0)
            throw new DataException(splitDir, "has no class folders (expected one sub-folder per class, holding that class's images)");
        if (expectedClasses is not null && !classNames.SequenceEqual(expectedClasses, StringComparer.Ordinal))
        {
            var missing = expectedClasses.Except(classNames, StringComparer.Ordinal).Take(5).ToArray();
            var extra = classNames.Except(expectedClasses, StringComparer.Ordinal).Take(5).ToArray();
            throw new DataException(splitDir, $"has {classNames.Length} class folders where {expectedClasses.Count} were expected, so labels would not match" +
                (missing.Length > 0 ? $"; missing: {string.Join(", ", missing)}" : "") + (extra.Length > 0 ? $"; unexpected: {string.Join(", ", extra)}" : ""));
        }

        var classDirs = classNames.Select(n => Path.Combine(splitDir, n)).ToArray();
        var files = new List<string>();
        var classStart = new int[classNames.Length + 1];
        var empty = new List<string>();
        for (var c = 0; c < classDirs.Length; c++)
        {
            classStart[c] = files.Count;
            var names = Directory.EnumerateFiles(classDirs[c])
                .Select(f => Path.GetFileName(f))
                .Where(n => !n.StartsWith('.') && IsImageName(n))
                .Order(StringComparer.Ordinal);
            files.AddRange(names);
            if (files.Count == classStart[c])
                empty.Add(classDirs[c]);
        }
        classStart[^1] = files.Count;
        if (empty.Count > 0)
            throw new DataException(empty[0], $"holds no images ({string.Join(", ", Extensions)}); {empty.Count} of {classNames.Length} class folders are empty" +
                (empty.Count > 1 ? $", also {string.Join(", ", empty.Skip(1).Take(4))}" : ""));

        return new ImageFolderSource(splitDir, classNames, classDirs, files.ToArray(), classStart);
    }

    public static bool IsImageName(string name) =>
        Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public string SplitDirectory { get; }

    public string Description => $"image folder {SplitDirectory}";

    public int Count => _files.Length;

    public IReadOnlyList<string> ClassNames { get; }

    public int Channels => 3;

    public int LabelOf(int index)
    {
        // The class whose first file is at or before index (class starts are strictly increasing: no class is empty).
        var c = Array.BinarySearch(_classStart, index);
        return c >= 0 ? c : ~c - 1;
    }

    public string PathOf(int index) => Path.Combine(_classDirs[LabelOf(index)], _files[index]);

    public void Read(int index, PixelImage destination) => ImageDecoder.Decode(PathOf(index), destination);
}
