using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace XceptionCompiler.Benchmarks.Infrastructure;

/// <summary>
/// The suite's job: one launch, one warm-up and three measured iterations, so the whole suite (naive baselines of
/// up to seconds included) takes about seven minutes on the 2-core machine. It is the default job, so a job given on the
/// command line (`--job dry`, `--job short`) replaces it and `--iterationCount` or `--warmupCount` adjust it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly)]
public sealed class SuiteJobAttribute : JobConfigBaseAttribute
{
    public SuiteJobAttribute()
        : base(Job.Default.WithId("Suite").WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).AsDefault())
    {
    }
}
