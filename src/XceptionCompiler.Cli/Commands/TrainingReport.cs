using System.Globalization;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Cli.Commands;

/// <summary>The table printed when a run ends: every epoch, the best one, the time, and where the files are.</summary>
internal static class TrainingReport
{
    public static void Write(TextWriter output, TrainingSummary summary, Trainer trainer)
    {
        output.WriteLine();
        output.WriteLine("epoch  train loss  train top-1  val top-1  val top-5  val loss   seconds");
        foreach (EpochMetrics e in summary.Epochs)
        {
            string validation = e.ValidationTop1 is null
                ? "        -          -         -"
                : string.Create(CultureInfo.InvariantCulture, $"{e.ValidationTop1,9:P2}  {e.ValidationTop5,9:P2}  {e.ValidationLoss,8:F4}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Epoch,5}  {e.TrainLoss,10:F4}  {e.TrainTop1,11:P2}  {validation}  {e.Seconds,8:F0}"));
        }

        output.WriteLine();
        if (summary.Best is EpochMetrics best)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: epoch {best.Epoch}, val top-1 {best.ValidationTop1:P2}, top-5 {best.ValidationTop5:P2}"));
        }

        output.WriteLine("time: " + ProgressReporter.Format(summary.Elapsed));
        if (summary.SkippedImages > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"skipped images: {summary.SkippedImages} (unreadable files, listed above)"));
        }

        output.WriteLine("checkpoint: " + (summary.LastCheckpoint ?? "(none)"));
        output.WriteLine("metrics: " + trainer.MetricsPath);
        output.WriteLine("curves: " + trainer.PlotPath);
    }
}
