using BenchmarkDotNet.Attributes;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Benchmarks.Blocks;

/// <summary>The stem (conv1, conv2): two fused conv -> bn -> relu steps on the 3 x 299 x 299 image. Model: Models/stem_block.xnet.</summary>
[MemoryDiagnoser]
public class StemBenchmarks() : FusedBlockBenchmarks(batch: 1, needsInputGradient: false)
{
    protected override ICompiledNetwork Create(int maxBatch) => new StemBlock(maxBatch);
}
