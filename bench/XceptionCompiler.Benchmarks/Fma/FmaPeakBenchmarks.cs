using BenchmarkDotNet.Attributes;
using XceptionCompiler.Benchmarks.Infrastructure;
using XceptionCompiler.Runtime.Benchmarking;

namespace XceptionCompiler.Benchmarks.Fma;

/// <summary>
/// This machine's FMA limit (Runtime/Benchmarking/FmaPeak.cs, the loop `xception bench --fma-peak` times): register-only
/// vector FMA chains on one thread and on every core. Its GFLOP/s column is the ceiling for the GEMM's.
/// No baseline: it measures the hardware, not a compiled op.
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public class FmaPeakBenchmarks
{
    public static IEnumerable<FmaThreads> ThreadCounts => new[] { 1, Environment.ProcessorCount }.Distinct().Select(count => new FmaThreads(count));

    [ParamsSource(nameof(ThreadCounts))]
    public FmaThreads Threads { get; set; } = new(1);

    [Benchmark]
    public void FmaChains() => FmaPeak.Run(Threads.Count, FmaThreads.Iterations);
}
