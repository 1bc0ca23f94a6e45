namespace XceptionCompiler.Cli;

/// <summary>The process exit codes every command uses, so scripts can tell a bad invocation from bad data.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>A runtime or data error: a missing or corrupt file, a checkpoint or input that does not fit the network.</summary>
    public const int Failure = 1;

    /// <summary>A usage error: an unknown command, option or model, a missing required option.</summary>
    public const int Usage = 2;
}
