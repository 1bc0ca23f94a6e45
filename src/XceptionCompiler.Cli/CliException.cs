namespace XceptionCompiler.Cli;

/// <summary>
/// An error the user can act on: the message is printed as one line (no stack trace) and the process exits with
/// <see cref="ExitCode"/>. Messages name the file, tensor or option at fault.
/// </summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    /// <summary>A bad invocation (exit code 2).</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>Bad data or a failed operation (exit code 1).</summary>
    public static CliException Failure(string message, Exception? inner = null) => new(ExitCodes.Failure, message, inner);
}
