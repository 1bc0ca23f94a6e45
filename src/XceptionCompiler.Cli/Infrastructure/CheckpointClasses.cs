using XceptionCompiler.Runtime.Configuration;

namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>The class names train records in a checkpoint's metadata (one per line), so validate and predict can check and name classes.</summary>
internal static class CheckpointClasses
{
    public const string Key = "classes";

    /// <summary>The ckpt_path key, which validate and predict need.</summary>
    public static string RequirePath(TrainConfig config) =>
        string.IsNullOrWhiteSpace(config.CkptPath) ? throw CliException.Usage("--ckpt-path is required: the checkpoint to use") : config.CkptPath;

    public static IReadOnlyList<string>? From(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(Key, out string? text) && text.Length > 0 ? text.Split('\n') : null;
}
