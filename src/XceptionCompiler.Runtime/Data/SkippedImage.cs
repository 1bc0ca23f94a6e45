namespace XceptionCompiler.Runtime.Data;

/// <summary>A file the loader skipped because it could not be decoded, and why.</summary>
public sealed record SkippedImage(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
