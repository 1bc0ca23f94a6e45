using BenchmarkDotNet.Attributes;
using XceptionCompiler.Models;
using XceptionCompiler.Runtime.Benchmarking;

namespace XceptionCompiler.Benchmarks.Training;

/// <summary>
/// The whole training step of the canonical Xception at 299 x 299, batch 8 (what bench/RESULTS.md compares with
/// PyTorch): forward, softmax cross-entropy, backward and the SGD update, as `xception bench --mode train` runs it.
/// No naive baseline: the naive interpreter would take minutes for one step of the whole network at this size; the
/// blocks it is made of are compared with it one by one (Blocks/).
/// </summary>
[MemoryDiagnoser]
public class TrainStepBenchmarks
{
    private const int Batch = 8;
    private SyntheticStep step = null!;

    [GlobalSetup]
    public void Setup() => step = new SyntheticStep(new Xception(maxBatch: Batch), Batch);

    [Benchmark]
    public double TrainStep() => step.Train();
}
