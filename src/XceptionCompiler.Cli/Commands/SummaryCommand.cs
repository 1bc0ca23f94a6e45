using System.CommandLine;
using System.Globalization;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Cli.Summary;

namespace XceptionCompiler.Cli.Commands;

/// <summary>
/// `xception summary --model NAME [--json]`: the per-layer table of a compiled network, then its totals.
/// With --json the last line is the totals as one JSON object, for scripts.
/// </summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var json = new Option<bool>("--json")
        {
            Description = "Also print the totals as one JSON object on the last line.",
        };
        var command = new Command("summary", "Print a compiled network's layers, parameter counts, multiply-adds and memory plan.")
        {
            model,
            json,
        };
        command.SetAction(parse => Execute(parse.GetRequiredValue(model), parse.GetValue(json), parse.InvocationConfiguration.Output));
        return command;
    }

    private static int Execute(string modelName, bool json, TextWriter output)
    {
        // One image is enough: sizes per image do not depend on the batch the arena was planned for.
        var network = CompiledNetworks.Create(modelName, maxBatch: 1);
        var summary = NetworkSummary.Of(network);

        output.WriteLine($"{summary.Name}: input {TextFormat.Shape(summary.Input)}, {summary.Output} outputs");
        output.WriteLine();
        LayerTable.Write(output, network.Graph);
        output.WriteLine();
        WriteTotal(output, "Layers", TextFormat.Count(summary.Layers));
        WriteTotal(output, "Trainable parameters", TextFormat.Count(summary.Trainable));
        WriteTotal(output, "BN statistics", TextFormat.Count(summary.BnStatistics));
        WriteTotal(output, "Tensors", TextFormat.Count(summary.Tensors));
        WriteTotal(output, "Input shape", TextFormat.Shape(summary.Input));
        WriteTotal(output, "Output size", summary.Output.ToString(CultureInfo.InvariantCulture));
        WriteTotal(output, "Multiply-adds per image", $"{TextFormat.Count(summary.MultiplyAdds)} ({TextFormat.Giga(summary.MultiplyAdds)})");
        WriteTotal(output, "Arena floats per image", $"{TextFormat.Count(summary.ArenaFloatsPerImage)} ({TextFormat.FloatMebibytes(summary.ArenaFloatsPerImage)})");
        WriteTotal(output, "Eval arena per image", $"{TextFormat.Count(summary.EvalArenaFloatsPerImage)} ({TextFormat.FloatMebibytes(summary.EvalArenaFloatsPerImage)})");
        if (json)
            output.WriteLine(summary.ToJson());
        return ExitCodes.Ok;
    }

    private static void WriteTotal(TextWriter output, string label, string value) =>
        output.WriteLine($"{label + ":",-25} {value}");
}
