namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// A safetensors file or checkpoint that cannot be read or does not fit the network.
/// The message always starts with the file's path; <see cref="Problems"/> lists every problem found, not only those in the message.
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string filePath, string problem, Exception? inner = null)
        : this(filePath, problem, [problem], inner)
    {
    }

    public CheckpointException(string filePath, string message, IReadOnlyList<string> problems, Exception? inner = null)
        : base($"{filePath}: {message}", inner)
    {
        FilePath = filePath;
        Problems = problems;
    }

    /// <summary>The file the problem was found in.</summary>
    public string FilePath { get; }

    /// <summary>Every problem, one sentence each (the message lists at most the first few).</summary>
    public IReadOnlyList<string> Problems { get; }
}
