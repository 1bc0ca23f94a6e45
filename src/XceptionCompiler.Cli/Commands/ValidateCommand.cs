using System.CommandLine;
using System.Globalization;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Threading;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Cli.Commands;

/// <summary>`xception validate`: MindCV's validate.py: top-1, top-5 and loss of a checkpoint on the val split.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        // The checkpoint is MindCV's ckpt_path key (--ckpt-path or --ckpt_path), like every other setting.
        var command = new Command("validate", "Evaluate a checkpoint (--ckpt-path) on the validation split: top-1, top-5 and loss.");
        ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            TrainConfig config = ConfigOptions.Read(parse, DefaultConfig.Load());
            return Execute(config, CheckpointClasses.RequirePath(config), parse.InvocationConfiguration.Output);
        });
        return command;
    }

    private static int Execute(TrainConfig config, string checkpointPath, TextWriter output)
    {
        if (config.Threads > 0)
        {
            Workers.ThreadCount = config.Threads;
        }

        using GpuSession? session = GpuSession.Open(CommonOptions.ParseDevice(config.Device));
        ICompiledNetwork network = CompiledNetworks.Create(CompiledNetworks.FromConfig(config.Model), maxBatch: config.BatchSize);
        IReadOnlyDictionary<string, string> metadata = Checkpoint.Load(network, checkpointPath);
        IReadOnlyList<string>? classes = CheckpointClasses.From(metadata);
        using DataLoader data = TrainingData.Open(config, network, training: false, LocalGradientReducer.Instance, classes);
        data.ImageSkipped += skipped => output.WriteLine($"warning: skipped {skipped}");
        output.WriteLine(FormattableString.Invariant($"{network.Name} from {checkpointPath} on {data.Source.Description}: {data.Source.Count:N0} images"));

        using GpuNetwork? gpu = GpuNetworks.Open(network, session, output);
        EvaluationResult result = Evaluation.Run(gpu ?? (IInferenceNetwork)network, data, LocalGradientReducer.Instance);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"top-1 {result.Top1:P2}  top-5 {result.Top5:P2}  loss {result.Loss:F4}  ({result.Samples:N0} images)"));
        if (data.Skipped.Count > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"skipped images: {data.Skipped.Count}"));
        }

        return ExitCodes.Ok;
    }
}
