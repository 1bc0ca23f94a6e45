using System.Globalization;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Summary;

/// <summary>The per-layer table of `xception summary`: one row per graph node, in the order the model file declares them.</summary>
internal static class LayerTable
{
    private static readonly string[] Headers = ["#", "layer", "op", "output (C x H x W)", "params", "mult-adds"];

    /// <summary>Right-aligned columns: the index and the two counts.</summary>
    private static readonly bool[] RightAligned = [true, false, false, false, true, true];

    public static void Write(TextWriter output, IReadOnlyList<GraphNode> graph)
    {
        var rows = graph.Select(n => new[]
        {
            n.Id.ToString(CultureInfo.InvariantCulture),
            n.Name,
            Describe(n),
            TextFormat.Shape(n.OutputShape),
            TextFormat.Count(n.Parameters),
            TextFormat.Count(n.MultiplyAdds),
        }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();

        output.WriteLine(Line(Headers, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            output.WriteLine(Line(row, widths));
    }

    /// <summary>The op with what distinguishes it at a glance: kernel and stride, or the dropout rate.</summary>
    private static string Describe(GraphNode node) => node.Op switch
    {
        "conv" or "depthwise" or "maxpool" =>
            $"{node.Op} {node.Kernel}x{node.Kernel}" + (node.Stride > 1 ? $"/{node.Stride}" : ""),
        "dropout" => $"dropout {node.Rate.ToString("0.###", CultureInfo.InvariantCulture)}",
        _ => node.Op,
    };

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => RightAligned[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
}
