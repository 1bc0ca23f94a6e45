using BenchmarkDotNet.Attributes;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Benchmarks.Blocks;

/// <summary>The head (2048 x 10 x 10 in): global average pool, dropout and the 1000-way dense layer. Model: Models/head_block.xnet.</summary>
[MemoryDiagnoser]
public class HeadBenchmarks() : FusedBlockBenchmarks(batch: 8)
{
    protected override ICompiledNetwork Create(int maxBatch) => new HeadBlock(maxBatch);
}
