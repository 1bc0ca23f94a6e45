namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// One thing wrong with a configuration: where (a file with its 1-based line and column, or a command-line flag),
/// which key, and what. <see cref="ToString"/> is the line users see: <c>train.yaml:12:13: batch_size: expected an
/// integer, got 'big'</c> or <c>--batch-size: expected an integer, got 'big'</c>.
/// </summary>
/// <param name="Origin">The file's path as given, or the flag as typed (<c>--batch_size</c>).</param>
/// <param name="Key">The key at fault as written, or null when the problem is the file as a whole.</param>
/// <param name="Line">1-based line in the file; null for a flag or a file that could not be read.</param>
/// <param name="Column">1-based column in the file; null where <paramref name="Line"/> is.</param>
/// <param name="Text">What is wrong and, where it can tell, what would be right.</param>
public sealed record ConfigProblem(string Origin, string? Key, int? Line, int? Column, string Text)
{
    public override string ToString()
    {
        string where = Line is null ? Origin : $"{Origin}:{Line}:{Column}";
        // A flag already names its key; repeating it would read "--lr: lr: ...".
        return Key is null || Line is null ? $"{where}: {Text}" : $"{where}: {Key}: {Text}";
    }
}
