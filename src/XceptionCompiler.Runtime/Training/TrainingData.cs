using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>The data loaders a config asks for: the train split with MindCV's train transform, the val split with its eval transform.</summary>
public static class TrainingData
{
    /// <param name="expectedClasses">When given (e.g. from a checkpoint), the split must have exactly these classes.</param>
    public static DataLoader Open(TrainConfig config, ICompiledNetwork network, bool training, IGradientReducer reducer, IReadOnlyList<string>? expectedClasses = null)
    {
        if (config.ImageResize != network.InputShape[1] || network.InputShape[1] != network.InputShape[2])
        {
            throw new TrainingException($"image_resize = {config.ImageResize}: {network.Name} takes {network.InputShape[1]} x {network.InputShape[2]} images");
        }

        string? dataDir = string.IsNullOrWhiteSpace(config.DataDir) ? null : config.DataDir;
        IImageSource source = DataSources.Open(config.Dataset, dataDir, training ? config.TrainSplit : config.ValSplit, expectedClasses);
        ImageTransform transform = Transforms.Create(config.Dataset, training, Augmentation(config), network.InputShape[0]);
        var options = new LoaderOptions(
            config.BatchSize,
            Shuffle: training ? config.Shuffle : config.EvalShuffle,
            DropRemainder: training && config.DropRemainder,
            Seed: config.Seed,
            Workers: config.NumParallelWorkers,
            Rank: reducer.Rank,
            WorldSize: reducer.WorldSize);
        return new DataLoader(source, transform, options);
    }

    /// <summary>The augmentation keys of a config.</summary>
    public static AugmentationOptions Augmentation(TrainConfig config) => new()
    {
        ImageResize = config.ImageResize,
        Scale = (config.Scale[0], config.Scale[1]),
        Ratio = (config.Ratio[0], config.Ratio[1]),
        HFlip = config.Hflip,
        VFlip = config.Vflip,
        Interpolation = config.Interpolation,
        AutoAugment = config.AutoAugment,
        ColorJitter = config.ColorJitter.Count == 0 ? null : config.ColorJitter,
        ReProb = config.ReProb,
        ReScale = (config.ReScale[0], config.ReScale[1]),
        ReRatio = (config.ReRatio[0], config.ReRatio[1]),
        ReValue = config.ReValue,
        ReMaxAttempts = config.ReMaxAttempts,
        CropPct = config.CropPct,
        Mean = config.Mean,
        Std = config.Std,
    };
}
