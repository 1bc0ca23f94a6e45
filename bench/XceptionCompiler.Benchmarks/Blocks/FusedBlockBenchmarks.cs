using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Benchmarks.Blocks;

/// <summary>
/// One block of the canonical network, compiled on its own from Models/*.xnet at the shapes it has there: the
/// generated, fused training-mode forward and backward, each against the naive interpreter of the same unfused graph
/// (float, one buffer per node, no fusion or threads) as its baseline. Forward and backward are separate categories,
/// each with its own baseline.
/// </summary>
/// <remarks>
/// A backward needs the forward it differentiates (the memory plan reuses forward buffers for gradients), so an
/// iteration setup runs that forward first; BenchmarkDotNet then times one backward per iteration.
/// </remarks>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class FusedBlockBenchmarks
{
    private const string Forward = "Forward";
    private const string Backward = "Backward";

    private readonly int batch;
    private readonly bool needsInputGradient;
    private ICompiledNetwork network = null!;
    private NaiveNetwork<float> naive = null!;
    private float[] input = [];
    private float[] output = [];
    private float[] outputGradient = [];
    private float[] inputGradient = [];

    /// <param name="batch">
    /// Images per step: one for the convolution blocks, whose naive forward and backward take seconds per image
    /// (which bounds the suite's time), and the training batch for the cheap head.
    /// </param>
    /// <param name="needsInputGradient">Whether the canonical network asks this block for its input gradient (not the stem's, whose input is the image).</param>
    protected FusedBlockBenchmarks(int batch, bool needsInputGradient = true)
    {
        this.batch = batch;
        this.needsInputGradient = needsInputGradient;
    }

    [GlobalSetup]
    public void Setup()
    {
        network = Create(batch);
        naive = new NaiveNetwork<float>(network);
        input = TensorRandom.Uniform(batch * network.InputShape.Aggregate(1, (a, b) => a * b), seed: 1);
        output = new float[batch * network.OutputSize];
        outputGradient = TensorRandom.Uniform(output.Length, seed: 2);
        inputGradient = needsInputGradient ? new float[input.Length] : [];
    }

    [Benchmark(Baseline = true, Description = "Naive")]
    [BenchmarkCategory(Forward)]
    public float[] NaiveForward() => naive.Forward(input, batch, training: true, dropout: true, dropoutSeed: network.DropoutSeed, step: network.Step);

    [Benchmark(Description = "Fused")]
    [BenchmarkCategory(Forward)]
    public void FusedForward() => network.ForwardTrain(input, batch, output);

    [IterationSetup(Target = nameof(NaiveBackward))]
    public void NaiveForwardBeforeBackward()
    {
        NaiveForward();
        Array.Clear(naive.Gradients);
    }

    [Benchmark(Baseline = true, Description = "Naive")]
    [BenchmarkCategory(Backward)]
    public float[] NaiveBackward() => naive.Backward(outputGradient, dropout: true);

    [IterationSetup(Target = nameof(FusedBackward))]
    public void FusedForwardBeforeBackward()
    {
        FusedForward();
        network.ZeroGradients();
    }

    [Benchmark(Description = "Fused")]
    [BenchmarkCategory(Backward)]
    public void FusedBackward() => network.Backward(outputGradient, inputGradient);

    /// <summary>The compiled block for up to <paramref name="maxBatch"/> images.</summary>
    protected abstract ICompiledNetwork Create(int maxBatch);
}
