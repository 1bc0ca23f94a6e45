using System.Globalization;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// Where training stands after a completed epoch: what a checkpoint records so that a resumed run continues at the
/// exact step (the data order, dropout masks and learning rate all derive from these numbers).
/// </summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="OptimizerStep">Optimizer steps taken (indexes the learning-rate schedule).</param>
/// <param name="NetworkStep">Training forwards taken (selects dropout masks).</param>
public sealed record TrainingPosition(int Epoch, long OptimizerStep, long NetworkStep)
{
    public static readonly TrainingPosition Start = new(0, 0, 0);

    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
        ["optimizer_step"] = OptimizerStep.ToString(CultureInfo.InvariantCulture),
        ["network_step"] = NetworkStep.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads the position back; a missing or malformed entry is an error naming the file.</summary>
    public static TrainingPosition FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        long Read(string key) => metadata.TryGetValue(key, out string? text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value >= 0
            ? value
            : throw new TrainingException($"{path}: the training state has no valid '{key}' entry; it was not written by 'xception train'");
        return new TrainingPosition((int)Read("epoch"), Read("optimizer_step"), Read("network_step"));
    }
}
