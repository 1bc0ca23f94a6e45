using XceptionCompiler.Reference.Data;

namespace XceptionCompiler.Training.Tests;

/// <summary>An ImageNet-style folder of generated JPEGs (4 classes: 12 train and 3 val images each), shared by a test class.</summary>
public sealed class GeneratedFolder : IDisposable
{
    public GeneratedFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "xception-training-" + Guid.NewGuid().ToString("N"));
        Classes = SyntheticImages.WriteFolder(Root, classes: 4, trainPerClass: 12, valPerClass: 3);
    }

    public string Root { get; }

    public string[] Classes { get; }

    /// <summary>A fresh directory for one run's checkpoints.</summary>
    public string NewRunDirectory() => Directory.CreateDirectory(Path.Combine(Root, "runs", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
