namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// A data set that cannot be opened or read: a missing directory or file, a truncated or corrupt file, a layout that
/// does not fit. The message always starts with the path and says what is wrong (and, where it helps, how to fix it).
/// </summary>
public class DataException : Exception
{
    public DataException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file or directory the problem was found in.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
