using BenchmarkDotNet.Attributes;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Benchmarks.Blocks;

/// <summary>An entry-flow block (block2, 128 x 74 x 74 in): strided 1x1 skip conv + bn, two relu-separable-bn steps, max pool + residual. Model: Models/entry_block.xnet.</summary>
[MemoryDiagnoser]
public class EntryBlockBenchmarks() : FusedBlockBenchmarks(batch: 1)
{
    protected override ICompiledNetwork Create(int maxBatch) => new EntryBlock(maxBatch);
}
