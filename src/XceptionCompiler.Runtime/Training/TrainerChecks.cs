using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// Config values the trainer cannot honour yet fail before training starts, with a message naming the key, instead
/// of being silently ignored. The trainer runs them; a command runs them first too, before compiling GPU kernels.
/// </summary>
public static class TrainerChecks
{
    public static void Validate(TrainConfig config, ICompiledNetwork network, DataLoader train, bool onAccelerator)
    {
        Require(config.Opt.ToLowerInvariant() is "sgd" or "momentum", "opt", config.Opt, "only sgd (with momentum and use_nesterov) is implemented");
        Require(config.Loss.Equals("CE", StringComparison.OrdinalIgnoreCase), "loss", config.Loss, "only CE (cross-entropy with label_smoothing) is implemented");
        Require(LearningRateSchedule.Kinds.Contains(config.Scheduler), "scheduler", config.Scheduler, "implemented: " + string.Join(", ", LearningRateSchedule.Kinds));
        Require(config.Mixup == 0 && config.Cutmix == 0, "mixup/cutmix", $"{config.Mixup}/{config.Cutmix}", "mixup and cutmix are not implemented; set both to 0");
        Require(config.NumSamples is null, "num_samples", config.NumSamples?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", "sampling a subset is not implemented; leave it unset");
        Require(!config.Pretrained, "pretrained", "True", "weights cannot be downloaded; give a checkpoint with ckpt_path instead");
        Require(config.Device != "gpu" || onAccelerator, "device", config.Device, "the trainer was given no GPU to train on");
        Require(config.AugRepeats <= 1, "aug_repeats", config.AugRepeats.ToString(System.Globalization.CultureInfo.InvariantCulture), "repeated augmentation is not implemented");
        Require(config.GradientAccumulationSteps >= 1, "gradient_accumulation_steps", config.GradientAccumulationSteps.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be at least 1");
        Require(config.BatchSize <= network.MaxBatch, "batch_size", config.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), $"the network was built for batches up to {network.MaxBatch}");
        Require(train.BatchesPerEpoch >= config.GradientAccumulationSteps, "batch_size", config.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"the training data gives only {train.BatchesPerEpoch} batches per epoch, fewer than gradient_accumulation_steps");
        Require(train.Source.ClassNames.Count == network.OutputSize, "num_classes", train.Source.ClassNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"the data has {train.Source.ClassNames.Count} classes but {network.Name} outputs {network.OutputSize}");
    }

    private static void Require(bool condition, string key, string value, string reason)
    {
        if (!condition)
        {
            throw new TrainingException($"{key} = {value}: {reason}");
        }
    }
}
