using BenchmarkDotNet.Attributes;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Benchmarks.Blocks;

/// <summary>The exit flow (block12, conv3, conv4; 728 x 19 x 19 in): a strided block to 1024 channels, then two separable -> bn -> relu steps. Model: Models/exit_block.xnet.</summary>
[MemoryDiagnoser]
public class ExitBlockBenchmarks() : FusedBlockBenchmarks(batch: 1)
{
    protected override ICompiledNetwork Create(int maxBatch) => new ExitBlock(maxBatch);
}
