using System.Text.Json;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// The run's metrics as JSON lines (one object per line: "step" rows every log_interval steps, "epoch" rows after
/// each epoch), appended and flushed as they come so a crashed run keeps everything it logged.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter writer;

    public MetricsLog(string path, bool append)
    {
        Path = path;
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        writer = new StreamWriter(path, append) { AutoFlush = true };
    }

    public string Path { get; }

    public void Step(int epoch, long step, double loss, double learningRate, double imagesPerSecond) =>
        Write(new { kind = "step", epoch, step, loss, lr = learningRate, img_per_s = imagesPerSecond });

    public void Epoch(EpochMetrics m) => Write(new
    {
        kind = "epoch",
        epoch = m.Epoch,
        train_loss = m.TrainLoss,
        train_top1 = m.TrainTop1,
        lr = m.LearningRate,
        seconds = m.Seconds,
        img_per_s = m.ImagesPerSecond,
        val_top1 = m.ValidationTop1,
        val_top5 = m.ValidationTop5,
        val_loss = m.ValidationLoss,
        checkpoint = m.Checkpoint,
    });

    /// <summary>The epoch rows of a log, for plotting a resumed run's whole history.</summary>
    public static IReadOnlyList<EpochMetrics> ReadEpochs(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var epochs = new List<EpochMetrics>();
        foreach (string line in File.ReadLines(path))
        {
            using JsonDocument row = JsonDocument.Parse(line);
            JsonElement r = row.RootElement;
            if (r.GetProperty("kind").GetString() != "epoch")
            {
                continue;
            }

            double? Optional(string name) => r.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            epochs.Add(new EpochMetrics(
                r.GetProperty("epoch").GetInt32(), r.GetProperty("train_loss").GetDouble(), r.GetProperty("train_top1").GetDouble(), r.GetProperty("lr").GetDouble(),
                r.GetProperty("seconds").GetDouble(), r.GetProperty("img_per_s").GetDouble(), Optional("val_top1"), Optional("val_top5"), Optional("val_loss"),
                r.TryGetProperty("checkpoint", out JsonElement c) ? c.GetString() : null));
        }

        return epochs;
    }

    public void Dispose() => writer.Dispose();

    private void Write<T>(T row) => writer.WriteLine(JsonSerializer.Serialize(row));
}
