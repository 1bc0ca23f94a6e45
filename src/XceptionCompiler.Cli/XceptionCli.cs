using System.CommandLine;
using XceptionCompiler.Cli.Commands;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Cli;

/// <summary>
/// The `xception` command line. <see cref="Run"/> is the whole program with its writers passed in, so tests run it
/// in-process; Program.cs only forwards the console. A new command is one file under Commands/ plus one line in
/// <see cref="CreateRootCommand"/>.
/// </summary>
public static class XceptionCli
{
    /// <summary>The name users type; help and error hints use it whatever the host process is called.</summary>
    public const string CommandName = "xception";

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Compiled Xception-family networks: inspect them and run them on tensors.");
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(SummaryCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Parses and runs one command line; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ParseResult parse = CreateRootCommand().Parse(args);
        // System.CommandLine reports parse errors with exit code 1; usage errors are 2 here, so they are handled first.
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine($"Run '{HelpHint(parse)}' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            // Exceptions come back here instead of System.CommandLine's handler, which would print a stack trace.
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            stderr.WriteLine("error: " + ErrorText.OneLine(e.Message));
            return e.ExitCode;
        }
        catch (Exception e) when (e is CheckpointException or DataException or ConfigException or TrainingException or GpuUnavailableException)
        {
            // Their messages name the file (and line, key or step) and the problem; no stack trace helps a user here.
            stderr.WriteLine("error: " + ErrorText.OneLine(e.Message));
            return ExitCodes.Failure;
        }
    }

    private static string HelpHint(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        return command is RootCommand ? $"{CommandName} --help" : $"{CommandName} {command.Name} --help";
    }
}
