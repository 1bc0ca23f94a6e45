using System.Diagnostics;
using XceptionCompiler.Runtime.Benchmarking;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Benchmarks;

/// <summary>Times whole steps (<see cref="SyntheticStep"/>) of a compiled network: untimed warm-up steps, then each timed one.</summary>
internal sealed class StepTimer(ICompiledNetwork network, int batch)
{
    private readonly SyntheticStep step = new(network, batch);

    /// <summary>Runs <paramref name="warmup"/> untimed steps, then returns the duration of each of <paramref name="iterations"/> steps.</summary>
    public IReadOnlyList<TimeSpan> Run(bool training, int warmup, int iterations) =>
        Time(training ? () => step.Train() : () => step.Infer(), warmup, iterations);

    /// <summary>The warm-up and timing loop every backend's timer shares.</summary>
    public static IReadOnlyList<TimeSpan> Time(Action step, int warmup, int iterations)
    {
        for (int i = 0; i < warmup; i++)
        {
            step();
        }

        var times = new List<TimeSpan>(iterations);
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            step();
            times.Add(Stopwatch.GetElapsedTime(start));
        }

        return times;
    }
}
