using System.Globalization;
using System.Text.RegularExpressions;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// The checkpoints of a training run, named as MindCV names them: weights in <c>{model}-{epoch}_{steps}.safetensors</c>
/// (timm tensor names, loadable by PyTorch and by <c>xception validate</c>) and the rest of the state (momentum,
/// position) in <c>optim_{model}-{epoch}_{steps}.safetensors</c> beside it. With a weight average (ema) the weights
/// file holds the averaged weights, the ones validation reported and a user deploys, and the state file holds the
/// live weights training continues from. The state file is
/// written first and each file atomically, so a weights file always has its state, and a kill during a save leaves
/// the previous checkpoint intact. After each save the oldest (latest_k) or worst (top_k) beyond
/// keep_checkpoint_max are deleted.
/// </summary>
public sealed partial class TrainingCheckpoints
{
    private const string StatePrefix = "optim_";
    private const string MetricKey = "val_top1";
    private const string LiveParameters = "live.parameters";
    private const string LiveStatistics = "live.statistics";

    public TrainingCheckpoints(string directory, string model, int keepMax, string policy)
    {
        if (policy is not ("latest_k" or "top_k"))
        {
            throw new TrainingException($"ckpt_save_policy '{policy}' is not one of latest_k, top_k");
        }

        Directory = directory;
        Model = model;
        KeepMax = Math.Max(1, keepMax);
        Policy = policy;
    }

    public string Directory { get; }

    public string Model { get; }

    public int KeepMax { get; }

    public string Policy { get; }

    /// <summary>Saves the state after an epoch; returns the weights file's path.</summary>
    public string Save(ICompiledNetwork network, SgdOptimizer optimizer, WeightAverage? average, TrainingPosition position, int stepsPerEpoch, double? validationTop1, IReadOnlyDictionary<string, string> metadata)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string name = $"{Model}-{position.Epoch}_{stepsPerEpoch}.safetensors";
        string weightsPath = Path.Combine(Directory, name);
        var all = new Dictionary<string, string>(metadata);
        foreach ((string key, string value) in position.ToMetadata())
        {
            all[key] = value;
        }

        if (validationTop1 is double top1)
        {
            all[MetricKey] = top1.ToString("R", CultureInfo.InvariantCulture);
        }

        var state = new List<SafeTensor> { new("momentum", [optimizer.Velocity.Length], optimizer.Velocity) };
        if (average is not null)
        {
            state.Add(new SafeTensor(LiveParameters, [network.Parameters.Length], network.Parameters));
            state.Add(new SafeTensor(LiveStatistics, [network.Statistics.Length], network.Statistics));
        }

        SafeTensorsWriter.WriteFile(StatePath(weightsPath), state, all);
        average?.SwapInto();
        try
        {
            Checkpoint.Save(network, weightsPath, all);
        }
        finally
        {
            average?.SwapInto();
        }

        Prune();
        return weightsPath;
    }

    /// <summary>
    /// Restores weights, statistics, momentum, averaged weights and the step counter from a checkpoint written by
    /// <see cref="Save"/>; returns the position to continue from.
    /// </summary>
    public static TrainingPosition Restore(string weightsPath, ICompiledNetwork network, SgdOptimizer optimizer, WeightAverage? average)
    {
        string statePath = StatePath(weightsPath);
        if (!File.Exists(statePath))
        {
            throw new TrainingException($"{weightsPath}: cannot resume without its training state {Path.GetFileName(statePath)} beside it (it holds the momentum and the step)");
        }

        using SafeTensorsFile state = SafeTensorsFile.Open(statePath);
        TrainingPosition position = TrainingPosition.FromMetadata(state.Metadata, statePath);
        ReadInto(state, "momentum", optimizer.Velocity);
        Checkpoint.Load(network, weightsPath);
        if (average is not null)
        {
            if (!state.Contains(LiveParameters))
            {
                throw new TrainingException($"{statePath}: ema is on but the checkpoint was trained without it (no live weights beside the averaged ones)");
            }

            // The weights file holds the average; the live weights come from the state.
            network.Parameters.CopyTo(average.Parameters, 0);
            network.Statistics.CopyTo(average.Statistics, 0);
            ReadInto(state, LiveParameters, network.Parameters);
            ReadInto(state, LiveStatistics, network.Statistics);
        }

        network.Step = position.NetworkStep;
        return position;
    }

    /// <summary>The validation top-1 recorded in a checkpoint, if any.</summary>
    public static double? RecordedTop1(string weightsPath)
    {
        using SafeTensorsFile file = SafeTensorsFile.Open(weightsPath);
        return file.Metadata.TryGetValue(MetricKey, out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
    }

    /// <summary>The checkpoints of this model in the directory, oldest first.</summary>
    public IReadOnlyList<string> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(Directory, Model + "-*.safetensors")
            .Select(path => (Path: path, Match: NamePattern().Match(Path.GetFileName(path))))
            .Where(c => c.Match.Success && c.Match.Groups["model"].Value == Model)
            .OrderBy(c => int.Parse(c.Match.Groups["epoch"].Value, CultureInfo.InvariantCulture))
            .Select(c => c.Path)
            .ToList();
    }

    private void Prune()
    {
        IReadOnlyList<string> existing = List();
        // top_k keeps the best validation accuracies; among equals, the newer.
        IEnumerable<string> doomed = Policy == "latest_k"
            ? existing.Take(Math.Max(0, existing.Count - KeepMax))
            : existing.Select((path, age) => (Path: path, Age: age, Top1: RecordedTop1(path) ?? double.NegativeInfinity))
                .OrderByDescending(c => c.Top1)
                .ThenByDescending(c => c.Age)
                .Skip(KeepMax)
                .Select(c => c.Path);
        foreach (string path in doomed.ToList())
        {
            File.Delete(path);
            File.Delete(StatePath(path));
        }
    }

    private static string StatePath(string weightsPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(weightsPath))!, StatePrefix + Path.GetFileName(weightsPath));

    private static void ReadInto(SafeTensorsFile file, string name, float[] destination)
    {
        if (!file.Contains(name))
        {
            throw new TrainingException($"{file.Path}: the training state has no '{name}' tensor");
        }

        SafeTensorInfo info = file.GetInfo(name);
        long length = info.Shape.Aggregate(1L, (a, b) => a * b);
        if (length != destination.Length)
        {
            throw new TrainingException($"{file.Path}: '{name}' holds {length} values but this network needs {destination.Length}; the checkpoint is of another model");
        }

        file.ReadFloats(name, destination);
    }

    [GeneratedRegex(@"^(?<model>.+)-(?<epoch>\d+)_(?<steps>\d+)\.safetensors$")]
    private static partial Regex NamePattern();
}
