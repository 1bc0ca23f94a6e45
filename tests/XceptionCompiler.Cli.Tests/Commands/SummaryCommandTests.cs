using System.Text.Json;
using XceptionCompiler.Cli.Tests.Infrastructure;
using XceptionCompiler.Models;

namespace XceptionCompiler.Cli.Tests.Commands;

/// <summary>
/// `xception summary`: totals against numbers fixed outside this code (timm's legacy_xception and a hand count of
/// fashion_xception.xnet), and the JSON last line against the table printed above it.
/// </summary>
public sealed class SummaryCommandTests
{
    [Fact]
    public void XceptionTotalsMatchTimm()
    {
        var result = XceptionCommand.Expect(ExitCodes.Ok, "summary", "--model", "Xception", "--json");

        // timm legacy_xception: 22,855,952 trainable parameters; 2 x 27,264 BN running statistics; 236 float tensors.
        Assert.Contains("Trainable parameters:     22,855,952", result.Stdout);
        Assert.Contains("BN statistics:            54,528", result.Stdout);
        Assert.Contains("Tensors:                  236", result.Stdout);
        Assert.Contains("Input shape:              3 x 299 x 299", result.Stdout);
        Assert.Contains("Output size:              1000", result.Stdout);
        var json = LastLineJson(result);
        Assert.Equal("Xception", json.GetProperty("name").GetString());
        Assert.Equal(22_855_952, json.GetProperty("trainable").GetInt64());
        Assert.Equal(54_528, json.GetProperty("bn_statistics").GetInt64());
        Assert.Equal(236, json.GetProperty("tensors").GetInt32());
        Assert.Equal([3, 299, 299], json.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(1000, json.GetProperty("output").GetInt32());
        // The generator computes its own totals into constants; the summary sums the graph: the two must agree.
        Assert.Equal(Xception.MultiplyAddsPerImage, json.GetProperty("macs").GetInt64());
        Assert.Equal(Xception.ArenaFloatsPerImage, json.GetProperty("arena_floats_per_image").GetInt64());
        Assert.Equal(Xception.EvalArenaFloatsPerImage, json.GetProperty("eval_arena_floats_per_image").GetInt64());
        // The usual figure for Xception is 8.4 G multiply-adds per 299 x 299 image.
        Assert.InRange(json.GetProperty("macs").GetInt64(), 8_300_000_000, 8_450_000_000);
    }

    [Fact]
    public void FashionXceptionTotalsMatchAHandCount()
    {
        var result = XceptionCommand.Expect(ExitCodes.Ok, "summary", "--model", "FashionXception", "--json");

        // By hand from models/fashion_xception.xnet: conv1+bn1 352, block1 9,440, block2 35,264, block3..4 2 x 53,376,
        // conv3+bn3 34,432, fc 2,570 = 188,810; BN channels 32+192+384+768+256 = 1,632, two statistics each.
        var json = LastLineJson(result);
        Assert.Equal("FashionXception", json.GetProperty("name").GetString());
        Assert.Equal(188_810, json.GetProperty("trainable").GetInt64());
        Assert.Equal(3_264, json.GetProperty("bn_statistics").GetInt64());
        Assert.Equal(83, json.GetProperty("tensors").GetInt32());
        Assert.Equal([1, 28, 28], json.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(10, json.GetProperty("output").GetInt32());
        Assert.Equal(FashionXception.MultiplyAddsPerImage, json.GetProperty("macs").GetInt64());
        Assert.Contains("Trainable parameters:     188,810", result.Stdout);
    }

    [Fact]
    public void TableHasOneRowPerLayerAndItsColumnsAddUpToTheTotals()
    {
        var result = XceptionCommand.Expect(ExitCodes.Ok, "summary", "--model", "FashionXception", "--json");
        var json = LastLineJson(result);

        // Rows start with the node index; the table sits between the dashed rule and the first blank line after it.
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int rule = lines.FindIndex(l => l.StartsWith("--", StringComparison.Ordinal));
        var rows = lines.Skip(rule + 1).TakeWhile(l => l.Length > 0).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

        Assert.Equal(json.GetProperty("layers").GetInt32(), rows.Count);
        Assert.Equal(["0", "input", "input", "1 x 28 x 28", "0", "0"], rows[0]);
        Assert.Equal(["1", "conv1", "conv 3x3", "32 x 28 x 28", "288", "225,792"], rows[1]);
        Assert.Equal(["59", "fc", "dense", "10 x 1 x 1", "2,570", "2,560"], rows[^1]);
        Assert.Equal(json.GetProperty("trainable").GetInt64(), rows.Sum(r => long.Parse(r[4].Replace(",", ""))));
        Assert.Equal(json.GetProperty("macs").GetInt64(), rows.Sum(r => long.Parse(r[5].Replace(",", ""))));
    }

    [Fact]
    public void WithoutJsonNoJsonIsPrinted()
    {
        var result = XceptionCommand.Expect(ExitCodes.Ok, "summary", "--model", "tiny");

        Assert.StartsWith("Tiny: input 2 x 9 x 9, 3 outputs", result.Stdout);
        Assert.DoesNotContain("{", result.Stdout);
        Assert.Contains("Multiply-adds per image:", result.Stdout);
    }

    [Fact]
    public void UnknownModelIsAUsageErrorListingTheKnownModels()
    {
        var result = XceptionCommand.Expect(ExitCodes.Usage, "summary", "--model", "Resnet50");

        Assert.Equal("", result.Stdout);
        Assert.Contains("unknown model 'Resnet50'", result.Stderr);
        KnownModels.AssertListed(result.Stderr);
    }

    [Fact]
    public void MissingModelOptionIsAUsageError()
    {
        var result = XceptionCommand.Expect(ExitCodes.Usage, "summary");

        Assert.Contains("--model", result.Stderr);
        Assert.Contains("xception summary --help", result.Stderr);
    }

    private static JsonElement LastLineJson(CliResult result)
    {
        string last = result.Stdout.TrimEnd().Split('\n')[^1].Trim();
        using var document = JsonDocument.Parse(last);
        return document.RootElement.Clone();
    }
}
