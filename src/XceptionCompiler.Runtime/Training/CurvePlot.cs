using System.Globalization;
using SkiaSharp;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// A PNG of the training curves: training loss (left axis) and validation top-1 accuracy (right axis, percent)
/// against the epoch. Drawn with SkiaSharp, which the data pipeline already uses, so plotting adds no dependency.
/// </summary>
public static class CurvePlot
{
    private const int Width = 900;
    private const int Height = 520;
    private const float Left = 70, Right = 70, Top = 40, Bottom = 60;

    public static void Write(string path, IReadOnlyList<EpochMetrics> epochs, string title)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(LabelTypeface.Value, 14);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1 };
        var plot = new SKRect(Left, Top, Width - Right, Height - Bottom);
        canvas.DrawText(title, Left, 25, SKTextAlign.Left, font, ink);

        int lastEpoch = Math.Max(1, epochs.Count == 0 ? 1 : epochs.Max(e => e.Epoch));
        double maxLoss = epochs.Count == 0 ? 1 : Math.Max(1e-6, epochs.Max(e => e.TrainLoss) * 1.1);
        float X(double epoch) => plot.Left + (float)(epoch / lastEpoch * plot.Width);
        float YLoss(double loss) => plot.Bottom - (float)(loss / maxLoss * plot.Height);
        float YAccuracy(double top1) => plot.Bottom - (float)(top1 * plot.Height);

        for (int i = 0; i <= 5; i++)
        {
            float y = plot.Bottom - (i * plot.Height / 5);
            canvas.DrawLine(plot.Left, y, plot.Right, y, grid);
            canvas.DrawText((maxLoss * i / 5).ToString("0.###", CultureInfo.InvariantCulture), 8, y + 5, SKTextAlign.Left, font, ink);
            canvas.DrawText((i * 20).ToString(CultureInfo.InvariantCulture) + "%", plot.Right + 8, y + 5, SKTextAlign.Left, font, ink);
        }

        for (int epoch = 0; epoch <= lastEpoch; epoch += Math.Max(1, lastEpoch / 10))
        {
            canvas.DrawText(epoch.ToString(CultureInfo.InvariantCulture), X(epoch) - 4, plot.Bottom + 20, SKTextAlign.Left, font, ink);
        }

        canvas.DrawText("epoch", plot.MidX - 20, Height - 15, SKTextAlign.Left, font, ink);
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke };
        canvas.DrawRect(plot, axis);

        var lossColor = new SKColor(31, 119, 180);
        var accuracyColor = new SKColor(214, 39, 40);
        DrawSeries(canvas, epochs.Select(e => (X(e.Epoch), YLoss(e.TrainLoss))).ToList(), lossColor);
        DrawSeries(canvas, epochs.Where(e => e.ValidationTop1 is not null).Select(e => (X(e.Epoch), YAccuracy(e.ValidationTop1!.Value))).ToList(), accuracyColor);
        Legend(canvas, font, plot, "training loss", lossColor, 0);
        Legend(canvas, font, plot, "validation top-1", accuracyColor, 1);

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        string temporary = path + ".tmp";
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (FileStream stream = File.Create(temporary))
        {
            png.SaveTo(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The label font. The self-contained Skia build has no fontconfig, so its default typeface draws nothing:
    /// a TrueType font is looked up among the usual system folders (Debian's fonts-dejavu-core first).
    /// </summary>
    private static readonly Lazy<SKTypeface> LabelTypeface = new(() =>
    {
        string[] preferred = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"];
        string? path = preferred.FirstOrDefault(File.Exists)
            ?? new[] { "/usr/share/fonts", "/usr/local/share/fonts" }
                .Where(System.IO.Directory.Exists)
                .SelectMany(folder => System.IO.Directory.EnumerateFiles(folder, "*.ttf", SearchOption.AllDirectories))
                .Order(StringComparer.Ordinal)
                .FirstOrDefault();
        return (path is null ? null : SKTypeface.FromFile(path)) ?? SKTypeface.Default;
    });

    private static void DrawSeries(SKCanvas canvas, List<(float X, float Y)> points, SKColor color)
    {
        using var line = new SKPaint { Color = color, StrokeWidth = 2.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var dot = new SKPaint { Color = color, IsAntialias = true };
        for (int i = 1; i < points.Count; i++)
        {
            canvas.DrawLine(points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, line);
        }

        foreach ((float x, float y) in points)
        {
            canvas.DrawCircle(x, y, 4, dot);
        }
    }

    private static void Legend(SKCanvas canvas, SKFont font, SKRect plot, string label, SKColor color, int row)
    {
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        // Bottom right: late in a run the loss has fallen and the accuracy risen, so the corner is free.
        float y = plot.Bottom - 35 + (row * 20);
        canvas.DrawRect(plot.Right - 170, y - 10, 14, 10, paint);
        canvas.DrawText(label, plot.Right - 150, y, SKTextAlign.Left, font, paint);
    }
}
