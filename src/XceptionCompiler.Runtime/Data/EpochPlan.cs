namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Which samples a rank reads in an epoch, and in what order. The epoch's global order is a permutation of the
/// source from (seed, epoch), or the identity without shuffling. Rank r takes positions r, r + w, r + 2w, …; every
/// rank gets the same count: floor(N / w) with drop_remainder (the tail is dropped), ceil(N / w) without (the order
/// wraps around, so a few samples appear twice, as MindSpore's DistributedSampler pads).
/// </summary>
public sealed class EpochPlan
{
    /// <summary>Seed stream of the permutation, apart from the per-sample streams.</summary>
    private const ulong PermutationStream = 0x5045524D55544531; // "PERMUTE1"

    private readonly int[] _order;

    public EpochPlan(int sourceCount, LoaderOptions options, int epoch)
    {
        if (sourceCount <= 0)
            throw new ArgumentException("the data source is empty", nameof(sourceCount));
        Epoch = epoch;
        Rank = options.Rank;
        WorldSize = options.WorldSize;
        _order = new int[sourceCount];
        for (var i = 0; i < _order.Length; i++)
            _order[i] = i;
        if (options.Shuffle)
        {
            // Fisher–Yates from the epoch's own stream: the same (seed, epoch) gives the same order on every rank.
            var random = new SampleRandom(SampleRandom.SeedFor(options.Seed, epoch, -1, PermutationStream));
            for (var i = _order.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
        }
        SamplesPerRank = SamplesPerRankFor(sourceCount, options);
        BatchesPerEpoch = BatchesFor(sourceCount, options);
        BatchSize = options.BatchSize;
    }

    public int Epoch { get; }
    public int Rank { get; }
    public int WorldSize { get; }
    public int BatchSize { get; }
    public int SamplesPerRank { get; }
    public int BatchesPerEpoch { get; }

    public static int SamplesPerRankFor(int sourceCount, LoaderOptions options) =>
        options.DropRemainder ? sourceCount / options.WorldSize : (sourceCount + options.WorldSize - 1) / options.WorldSize;

    public static int BatchesFor(int sourceCount, LoaderOptions options)
    {
        var perRank = SamplesPerRankFor(sourceCount, options);
        return options.DropRemainder ? perRank / options.BatchSize : (perRank + options.BatchSize - 1) / options.BatchSize;
    }

    /// <summary>Samples in batch <paramref name="batch"/> (BatchSize, or fewer for a last short batch).</summary>
    public int BatchCount(int batch) => Math.Min(BatchSize, SamplesPerRank - batch * BatchSize);

    /// <summary>The position in the epoch's global order of this rank's <paramref name="k"/>-th sample: unique across ranks, so it seeds the sample's augmentation.</summary>
    public long Slot(int k) => (long)k * WorldSize + Rank;

    /// <summary>Whether this rank's <paramref name="k"/>-th sample wraps around to pad the shard (a repeat of a sample some rank already reads).</summary>
    public bool IsPadding(int k) => Slot(k) >= _order.Length;

    /// <summary>The source index of this rank's <paramref name="k"/>-th sample.</summary>
    public int SourceIndex(int k) => _order[(int)(Slot(k) % _order.Length)];
}
