using BenchmarkDotNet.Attributes;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Benchmarks.Blocks;

/// <summary>A middle-flow block (block4..block11, 728 x 19 x 19): three relu-separable-bn steps, the last with the residual add. Model: Models/middle_block.xnet.</summary>
[MemoryDiagnoser]
public class MiddleBlockBenchmarks() : FusedBlockBenchmarks(batch: 1)
{
    protected override ICompiledNetwork Create(int maxBatch) => new MiddleBlock(maxBatch);
}
