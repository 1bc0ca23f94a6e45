using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Benchmarks;

/// <summary>What `xception bench` reports of timed steps on any backend: the median step, images/s and GFLOP/s.</summary>
internal sealed record StepRate(double MedianMilliseconds, double ImagesPerSecond, double Gflops)
{
    public static StepRate Of(IReadOnlyList<TimeSpan> times, ICompiledNetwork network, int batch, bool training)
    {
        double median = times.Select(t => t.TotalMilliseconds).Order().ElementAt(times.Count / 2);
        // Multiply-adds are two flops; a training step costs about three forwards (forward, data and weight gradients).
        double flopsPerStep = 2.0 * network.Graph.Sum(n => n.MultiplyAdds) * batch * (training ? 3 : 1);
        return new StepRate(median, batch / (median / 1000), flopsPerStep / (median / 1000) / 1e9);
    }
}
