namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>Error messages as the CLI prints them: one line each, so logs and scripts can grep them.</summary>
internal static class ErrorText
{
    /// <summary>Joins a multi-line message (a headline, then indented problems) with "; ".</summary>
    public static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + ": " + string.Join("; ", lines.Skip(1));
    }
}
