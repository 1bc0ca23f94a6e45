using System.CommandLine;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Cli.Summary;

namespace XceptionCompiler.Cli.Commands;

/// <summary>`xception models`: every compiled network with its input shape, outputs and parameter count.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List the compiled networks with their input shapes and parameter counts.");
        command.SetAction(parse => Execute(parse.InvocationConfiguration.Output));
        return command;
    }

    private static int Execute(TextWriter output)
    {
        var summaries = CompiledNetworks.Names.Select(n => NetworkSummary.Of(CompiledNetworks.Create(n, maxBatch: 1))).ToList();
        var nameWidth = summaries.Select(s => s.Name.Length).Append("model".Length).Max();
        var inputWidth = summaries.Select(s => TextFormat.Shape(s.Input).Length).Append("input".Length).Max();
        output.WriteLine($"{"model".PadRight(nameWidth)}  {"input".PadRight(inputWidth)}  {"outputs",7}  {"parameters",12}  {"mult-adds",9}");
        foreach (var s in summaries)
        {
            output.WriteLine($"{s.Name.PadRight(nameWidth)}  {TextFormat.Shape(s.Input).PadRight(inputWidth)}  {s.Output,7}  " +
                $"{TextFormat.Count(s.Trainable),12}  {TextFormat.Compact(s.MultiplyAdds),9}");
        }
        return ExitCodes.Ok;
    }
}
