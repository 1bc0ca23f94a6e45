namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// The groups keys are listed under, named as the comments in MindCV's YAML files name them. They order help and
/// written files only: the files themselves are flat.
/// </summary>
public static class ConfigGroup
{
    public const string System = "system";
    public const string Dataset = "dataset";
    public const string Augmentation = "augmentation";
    public const string Model = "model";
    public const string Loss = "loss";
    public const string Scheduler = "lr scheduler";
    public const string Optimizer = "optimizer";

    /// <summary>Every group, in the order MindCV's files use.</summary>
    public static IReadOnlyList<string> All { get; } = [System, Dataset, Augmentation, Model, Loss, Scheduler, Optimizer];
}
