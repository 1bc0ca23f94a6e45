using System.Diagnostics;
using System.Globalization;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// What a person watching a run sees: on a terminal, one progress line per epoch redrawn in place (epoch, bar,
/// step, loss, learning rate, images/s, ETA); when the output is a file or a pipe, a plain line every log_interval
/// steps instead, so logs stay readable.
/// </summary>
public sealed class ProgressReporter
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);
    private readonly TextWriter output;
    private readonly bool interactive;
    private readonly int logInterval;
    private readonly Stopwatch sinceRedraw = new();
    private int epoch;
    private int epochs;
    private int steps;

    public ProgressReporter(TextWriter output, bool interactive, int logInterval)
    {
        this.output = output;
        this.interactive = interactive;
        this.logInterval = Math.Max(1, logInterval);
    }

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        (this.epoch, this.epochs, this.steps) = (epoch, epochs, steps);
        sinceRedraw.Restart();
    }

    /// <param name="step">Batches done in this epoch (1-based).</param>
    public void Step(int step, double loss, double learningRate, double imagesPerSecond, TimeSpan remaining)
    {
        bool last = step == steps;
        if (interactive ? !last && sinceRedraw.Elapsed < RedrawInterval : step % logInterval != 0 && !last)
        {
            return;
        }

        sinceRedraw.Restart();
        int filled = steps == 0 ? BarWidth : (int)((long)BarWidth * step / steps);
        string bar = "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch}/{epochs} {bar} {step}/{steps} loss {loss:F4} lr {learningRate:G4} {imagesPerSecond:F1} img/s ETA {Format(remaining)}");
        if (interactive)
        {
            output.Write("\r" + text + (last ? Environment.NewLine : string.Empty));
        }
        else
        {
            output.WriteLine(text);
        }

        output.Flush();
    }

    public void Line(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    public static string Format(TimeSpan time) =>
        time.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{time.Minutes:00}:{time.Seconds:00}");
}
