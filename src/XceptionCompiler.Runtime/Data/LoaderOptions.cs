namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// How a <see cref="DataLoader"/> batches a source (MindCV's batch_size, shuffle, drop_remainder, seed,
/// num_parallel_workers; rank and world size for data-parallel training).
/// </summary>
/// <param name="BatchSize">Images per batch on this rank.</param>
/// <param name="Shuffle">A fresh permutation per epoch, from (Seed, epoch).</param>
/// <param name="DropRemainder">Drop the last short batch; without it the last batch is shorter (Batch.Count &lt; capacity).</param>
/// <param name="Seed">Seeds the permutation and every sample's augmentation.</param>
/// <param name="Workers">Decoding and augmenting threads; 0 does the work on the consumer's thread.</param>
/// <param name="Prefetch">Batches that may be ready or in progress while the consumer holds one (at least 1).</param>
/// <param name="Rank">This process's rank.</param>
/// <param name="WorldSize">Number of ranks; rank r reads every WorldSize-th sample of the epoch's order, starting at r.</param>
public sealed record LoaderOptions(
    int BatchSize,
    bool Shuffle = true,
    bool DropRemainder = true,
    int Seed = 0,
    int Workers = 2,
    int Prefetch = 4,
    int Rank = 0,
    int WorldSize = 1)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (BatchSize <= 0)
            throw new ArgumentException($"batch_size must be positive, not {BatchSize}");
        if (Workers < 0)
            throw new ArgumentException($"num_parallel_workers must be 0 or more, not {Workers}");
        if (Prefetch < 1)
            throw new ArgumentException($"prefetch must be at least 1, not {Prefetch}");
        if (WorldSize < 1 || Rank < 0 || Rank >= WorldSize)
            throw new ArgumentException($"rank {Rank} is not in a world of size {WorldSize}");
    }
}
