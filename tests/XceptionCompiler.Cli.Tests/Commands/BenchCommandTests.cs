using System.Text.Json;
using XceptionCompiler.Cli.Tests.Infrastructure;

namespace XceptionCompiler.Cli.Tests.Commands;

/// <summary>`xception bench`: the JSON line the side-by-side script reads, with values that follow from the timings.</summary>
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("train")]
    [InlineData("infer")]
    public void BenchPrintsConsistentMeasurementsAsJson(string mode)
    {
        CliResult result = XceptionCommand.Expect(ExitCodes.Ok, "bench", "--model", "FashionXception", "--mode", mode, "--batch", "4", "--iters", "3", "--json");

        using JsonDocument json = JsonDocument.Parse(result.Stdout.Trim().Split('\n')[^1]);
        JsonElement r = json.RootElement;
        double median = r.GetProperty("median_ms").GetDouble();
        double[] steps = r.GetProperty("step_ms").EnumerateArray().Select(e => e.GetDouble()).Order().ToArray();
        Assert.Equal(3, steps.Length);
        Assert.Equal(steps[1], median);
        Assert.Equal(4 / (median / 1000), r.GetProperty("img_per_s").GetDouble(), 6);
        Assert.True(r.GetProperty("gflops").GetDouble() > 0);
        Assert.True(r.GetProperty("peak_rss_mb").GetDouble() > 10);
        Assert.Equal(mode, r.GetProperty("mode").GetString());
    }

    [Fact]
    public void BenchWithoutAModelOrFmaPeakIsAUsageError()
    {
        CliResult result = XceptionCommand.Expect(ExitCodes.Usage, "bench");
        Assert.Contains("--model", result.Stderr);
    }
}
