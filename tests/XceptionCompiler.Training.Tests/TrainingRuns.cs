using XceptionCompiler.Models;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Training.Tests;

/// <summary>Whole training runs of MiniXception on a generated folder, with the MindCV recipe's moving parts switched on.</summary>
internal static class TrainingRuns
{
    public static TrainConfig Config(GeneratedFolder folder, string runDirectory, int epochs) => TrainConfig.Default with
    {
        Model = "mini_xception",
        Dataset = "imagenet",
        DataDir = folder.Root,
        ImageResize = 32,
        Scale = [0.5, 1.0],
        AutoAugment = "autoaug",
        ReProb = 0.25,
        Mean = [127.5, 127.5, 127.5],
        Std = [127.5, 127.5, 127.5],
        BatchSize = 8,
        NumParallelWorkers = 2,
        EpochSize = epochs,
        ValWhileTrain = true,
        Opt = "sgd",
        Momentum = 0.9,
        UseNesterov = true,
        WeightDecay = 1e-4,
        WeightDecayFilter = "auto",
        Scheduler = "warmup_cosine_decay",
        Lr = 0.05,
        WarmupEpochs = 1,
        DecayEpochs = 5,
        LabelSmoothing = 0.1,
        Ema = true,
        EmaDecay = 0.9,
        CkptSaveDir = runDirectory,
        KeepCheckpointMax = 10,
        LogInterval = 1,
        Seed = 7,
    };

    /// <summary>Trains from a fresh network (or resumes) and returns the network and the run's summary.</summary>
    public static (ICompiledNetwork Network, TrainingSummary Summary) Train(TrainConfig config, string? resume = null, TextWriter? output = null)
    {
        var network = new MiniXception(config.BatchSize);
        ParameterInit.Initialize(network, config.Seed);
        using DataLoader train = TrainingData.Open(config, network, training: true, LocalGradientReducer.Instance);
        using DataLoader validation = TrainingData.Open(config, network, training: false, LocalGradientReducer.Instance);
        var trainer = new Trainer(network, config, train, validation, LocalGradientReducer.Instance, new ProgressReporter(output ?? TextWriter.Null, interactive: false, config.LogInterval));
        return (network, trainer.Run(resume));
    }
}
