using System.Globalization;
using XceptionCompiler.Benchmarks.Infrastructure;
using XceptionCompiler.Runtime.Benchmarking;

namespace XceptionCompiler.Benchmarks.Fma;

/// <summary>One invocation of the FMA-peak loop: <see cref="Iterations"/> iterations on each of <paramref name="Count"/> threads.</summary>
public sealed record FmaThreads(int Count) : IFlopCount
{
    /// <summary>About 40 ms a thread at 3 GHz, so starting the threads costs well under 1 %.</summary>
    public const int Iterations = 20_000_000;

    public double Flops => (double)FmaPeak.FlopsPerIteration * Iterations * Count;

    // The parameter's text in the summary.
    public override string ToString() => Count.ToString(CultureInfo.InvariantCulture);
}
