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

/// <summary>
/// `xception train`: MindCV's train.py for compiled networks. Keys come from --config (default: the embedded
/// Fashion-MNIST recipe) and flags override them; --resume continues a run from one of its checkpoints.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var resume = new Option<string>("--resume")
        {
            Description = "Continue from a checkpoint of this run (its optim_* state file must sit beside it): the exact next step.",
            HelpName = "CKPT",
        };
        var command = new Command("train", "Train a compiled network from a MindCV-style YAML recipe (default: Fashion-MNIST).") { resume };
        ConfigOptions.AddTo(command);
        command.SetAction(parse => Execute(
            ConfigOptions.Read(parse, DefaultConfig.Load()),
            parse.GetValue(resume),
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static int Execute(TrainConfig config, string? resume, TextWriter output)
    {
        if (config.Threads > 0)
        {
            Workers.ThreadCount = config.Threads;
        }

        IGradientReducer reducer = LocalGradientReducer.Instance;
        if (config.Distribute)
        {
            output.WriteLine("note: distribute is True but this is a single process; training on one replica (data-parallel training is a later feature).");
        }

        // Before any data is read: a GPU that is asked for and missing is the first error.
        using GpuSession? session = GpuSession.Open(CommonOptions.ParseDevice(config.Device));
        string model = CompiledNetworks.FromConfig(config.Model);
        ICompiledNetwork network = CompiledNetworks.Create(model, maxBatch: config.BatchSize);
        network.InitializeDefault(config.Seed);
        using DataLoader train = TrainingData.Open(config, network, training: true, reducer);
        using DataLoader? validation = config.ValWhileTrain ? TrainingData.Open(config, network, training: false, reducer) : null;
        train.ImageSkipped += skipped => output.WriteLine($"warning: skipped {skipped}");
        if (validation is not null)
        {
            validation.ImageSkipped += skipped => output.WriteLine($"warning: skipped {skipped}");
        }

        resume ??= config.ResumeOpt && config.CkptPath.Length > 0 ? config.CkptPath : null;
        if (resume is null && config.CkptPath.Length > 0)
        {
            // MindCV's ckpt_path without resume_opt: start from these weights (fine-tuning) with a fresh optimizer.
            // Loaded before the trainer and the GPU network exist, so both start from them (the weight average too).
            Checkpoint.Load(network, config.CkptPath);
            output.WriteLine("starting from the weights of " + config.CkptPath);
        }

        TrainerChecks.Validate(config, network, train, onAccelerator: session is not null);
        var progress = new ProgressReporter(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected, config.LogInterval);
        using var trainer = new Trainer(network, config, train, validation, reducer, progress, GpuNetworks.Open(network, session, output));
        if (config.AmpLevel != "O0" || config.LossScale != 1.0)
        {
            output.WriteLine($"note: training runs in float32, so amp_level {config.AmpLevel} and loss_scale {config.LossScale.ToString(CultureInfo.InvariantCulture)} change nothing.");
        }

        output.WriteLine(FormattableString.Invariant(
            $"{network.Name}: {network.Parameters.Length:N0} parameters; {train.Source.Description}: {train.Source.Count:N0} images, {trainer.StepsPerEpoch:N0} steps of {config.BatchSize} per epoch, {config.EpochSize} epochs; {(session is null ? $"{Workers.ThreadCount} threads" : "on the GPU")}"));
        if (validation is not null)
        {
            output.WriteLine(FormattableString.Invariant($"validation: {validation.Source.Description}: {validation.Source.Count:N0} images every {config.ValInterval} epoch(s)"));
        }

        if (resume is not null)
        {
            output.WriteLine("resuming from " + resume);
        }

        TrainingSummary summary = trainer.Run(resume);
        TrainingReport.Write(output, summary, trainer);
        return ExitCodes.Ok;
    }

    /// <summary>The default initialisation from the run's seed, so a run is a function of its config.</summary>
    private static void InitializeDefault(this ICompiledNetwork network, int seed) => ParameterInit.Initialize(network, seed);
}
