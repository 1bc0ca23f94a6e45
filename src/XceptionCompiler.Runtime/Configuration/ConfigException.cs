namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// A configuration that cannot be used: a missing or malformed file, an unknown key, a value of the wrong type or out
/// of range. It carries every problem found, each with its file, line, column and key, or its flag; the message is
/// the problem itself when there is one, else a headline followed by one indented problem per line.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(Compose(problems))
    {
        Problems = problems;
    }

    public ConfigException(ConfigProblem problem, Exception? inner = null)
        : base(problem.ToString(), inner)
    {
        Problems = [problem];
    }

    /// <summary>At least one, in the order they occur in the file or on the command line.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }

    /// <summary>True when every problem is in a command-line flag, none in a file: a usage error rather than bad data.</summary>
    public bool IsCommandLine => Problems.All(p => p.Line is null && p.Origin.StartsWith('-'));

    private static string Compose(IReadOnlyList<ConfigProblem> problems)
    {
        if (problems.Count == 0)
            throw new ArgumentException("A configuration error needs at least one problem.", nameof(problems));
        if (problems.Count == 1)
            return problems[0].ToString();
        string origin = problems.Select(p => p.Origin).Distinct().Count() == 1 ? problems[0].Origin : "the configuration";
        return $"{origin}: {problems.Count} problems\n" + string.Join("\n", problems.Select(p => "  " + p));
    }
}
