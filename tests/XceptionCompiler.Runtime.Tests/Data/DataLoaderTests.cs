using XceptionCompiler.Runtime.Data;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>Shuffling, sharding, determinism, resume, prefetch and error handling of the loader.</summary>
public sealed class DataLoaderTests
{
    /// <summary>Leaves 8x8 pixels as they are (mean 0, std 1), so a value shows which sample an image came from.</summary>
    private static readonly IImageTransform Plain =
        Transforms.Eval(new AugmentationOptions { ImageResize = 8, CropPct = 1, Mean = [0], Std = [1] }, 1);

    /// <summary>Every random stage at once.</summary>
    private static readonly IImageTransform Augmenting = Transforms.Train(new AugmentationOptions
    {
        ImageResize = 12, AutoAugment = "autoaug", ReProb = 0.5, ReValue = "random", VFlip = 0.5, Mean = [127], Std = [64],
    }, 3);

    private static LoaderOptions Options(int batch = 8, int workers = 2, bool shuffle = true, bool drop = true, int prefetch = 3, int rank = 0, int world = 1) =>
        new(BatchSize: batch, Shuffle: shuffle, DropRemainder: drop, Seed: 42, Workers: workers, Prefetch: prefetch, Rank: rank, WorldSize: world);

    /// <summary>Copies an epoch out (batches are recycled), with each batch's source indices and labels.</summary>
    private static List<(int Index, int Count, float[] Images, int[] Labels, int[] Samples, bool[] Padding)> Collect(DataLoader loader, int epoch, int start = 0) =>
        loader.Epoch(epoch, start).Select(b => (b.Index, b.Count, b.Images.ToArray(), b.Labels.ToArray(), b.SampleIndices.ToArray(), b.IsPadding.ToArray())).ToList();

    [Fact]
    public void Same_seed_and_epoch_give_identical_batches_whatever_the_worker_count()
    {
        var source = new SyntheticSource(90, side: 20, channels: 3) { Unreadable = [3, 50] };
        var runs = new[] { 0, 1, 3 }.Select(workers =>
        {
            using var loader = new DataLoader(source, Augmenting, Options(batch: 10, workers: workers));
            return Collect(loader, epoch: 2);
        }).ToArray();
        Assert.Equal(9, runs[0].Count);
        foreach (var other in runs.Skip(1))
            for (var b = 0; b < runs[0].Count; b++)
            {
                Assert.Equal(runs[0][b].Samples, other[b].Samples);
                Assert.Equal(runs[0][b].Labels, other[b].Labels);
                Assert.Equal(runs[0][b].Images, other[b].Images);
            }
        // The unreadable samples were replaced, identically in every run.
        Assert.DoesNotContain(runs[0].SelectMany(r => r.Samples), i => i is 3 or 50);
    }

    [Fact]
    public void Each_epoch_is_a_different_permutation_of_every_sample()
    {
        var source = new SyntheticSource(50);
        using var loader = new DataLoader(source, Plain, Options(batch: 5, drop: false));
        var e0 = Collect(loader, 0).SelectMany(b => b.Samples).ToArray();
        var e1 = Collect(loader, 1).SelectMany(b => b.Samples).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), e0.Order());
        Assert.Equal(Enumerable.Range(0, 50), e1.Order());
        Assert.NotEqual(e0, e1);
        Assert.Equal(e0, Collect(loader, 0).SelectMany(b => b.Samples)); // and again the same

        // The images are the samples' own pixels and labels their own labels.
        foreach (var batch in Collect(loader, 1))
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.Equal(batch.Samples[i], SyntheticSource.PixelValue(batch.Images.AsSpan(i * 64)));
                Assert.Equal(batch.Samples[i] % 10, batch.Labels[i]);
            }

        using var ordered = new DataLoader(source, Plain, Options(batch: 5, shuffle: false));
        Assert.Equal(Enumerable.Range(0, 50), Collect(ordered, 3).SelectMany(b => b.Samples));
    }

    [Fact]
    public void Start_batch_resumes_exactly_where_the_epoch_was()
    {
        var source = new SyntheticSource(64, side: 16, channels: 3);
        using var loader = new DataLoader(source, Augmenting, Options(batch: 8, workers: 2));
        var whole = Collect(loader, 5);
        var resumed = Collect(loader, 5, start: 3);
        Assert.Equal(5, resumed.Count);
        for (var i = 0; i < resumed.Count; i++)
        {
            Assert.Equal(whole[i + 3].Index, resumed[i].Index);
            Assert.Equal(whole[i + 3].Samples, resumed[i].Samples);
            Assert.Equal(whole[i + 3].Images, resumed[i].Images);
        }
        Assert.Empty(loader.Epoch(5, startBatch: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.Epoch(5, startBatch: 9));
    }

    [Fact]
    public void Drop_remainder_drops_the_short_batch_and_keeping_it_zeroes_its_tail()
    {
        var source = new SyntheticSource(100);
        using var dropping = new DataLoader(source, Plain, Options(batch: 16));
        Assert.Equal(6, dropping.BatchesPerEpoch);
        Assert.All(Collect(dropping, 0), b => Assert.Equal(16, b.Count));

        using var keeping = new DataLoader(source, Plain, Options(batch: 16, drop: false));
        var batches = Collect(keeping, 0);
        Assert.Equal(7, keeping.BatchesPerEpoch);
        Assert.Equal(7, batches.Count);
        var last = batches[^1];
        Assert.Equal(4, last.Count);
        Assert.All(last.Images.Skip(4 * 64), v => Assert.Equal(0f, v));
        Assert.All(last.Samples.Skip(4), v => Assert.Equal(-1, v));

        var e = Assert.Throws<DataException>(() => new DataLoader(new SyntheticSource(7), Plain, Options(batch: 8)));
        Assert.Contains("not one full batch of 8", e.Message);
    }

    [Theory]
    [InlineData(true, 25, 5)]   // floor(103 / 4) = 25 per rank, 5 full batches of 5
    [InlineData(false, 26, 6)]  // ceil(103 / 4) = 26 per rank (wrapping), 6 batches, the last of 1
    public void Ranks_read_disjoint_shards_of_equal_length(bool drop, int perRank, int batches)
    {
        var source = new SyntheticSource(103);
        var padding = 0;
        var unique = new List<int>();
        var shards = Enumerable.Range(0, 4).Select(rank =>
        {
            using var loader = new DataLoader(source, Plain, Options(batch: 5, drop: drop, rank: rank, world: 4));
            Assert.Equal(batches, loader.BatchesPerEpoch);
            Assert.Equal(perRank, loader.SamplesPerEpoch);
            var epoch = Collect(loader, 1);
            padding += epoch.Sum(b => b.Padding.Take(b.Count).Count(p => p));
            unique.AddRange(epoch.SelectMany(b => b.Samples.Take(b.Count).Where((_, i) => !b.Padding[i])));
            return epoch.SelectMany(b => b.Samples.Take(b.Count)).ToArray();
        }).ToArray();
        Assert.All(shards, s => Assert.Equal(drop ? batches * 5 : perRank, s.Length));
        var all = shards.SelectMany(s => s).ToArray();
        if (drop)
            Assert.Equal(all.Length, all.Distinct().Count()); // no sample on two ranks
        else
            Assert.Equal(Enumerable.Range(0, 103), all.Distinct().Order()); // every sample somewhere
        // Without the padding repeats, each sample is read exactly once (all of them when nothing is dropped).
        Assert.Equal(drop ? 0 : 4 * 26 - 103, padding);
        Assert.Equal(unique.Count, unique.Distinct().Count());
        Assert.Equal(drop ? 100 : 103, unique.Count);
    }

    [Fact]
    public void Prefetch_bounds_the_batches_prepared_ahead()
    {
        var source = new SyntheticSource(400);
        using var loader = new DataLoader(source, Plain, Options(batch: 10, workers: 3, prefetch: 2));
        var buffers = new HashSet<Batch>(ReferenceEqualityComparer.Instance);
        var seen = 0;
        foreach (var batch in loader.Epoch(0))
        {
            buffers.Add(batch);
            if (seen++ == 0)
            {
                Thread.Sleep(300); // a slow consumer: the workers must stop 2 batches ahead
                Assert.InRange(source.Reads, 10, 30);
            }
            if (seen == 20)
                break;
        }
        Assert.InRange(loader.PeakPending, 1, 2);
        Assert.InRange(buffers.Count, 1, 3); // Prefetch + the one held: reused, not reallocated
    }

    [Fact]
    public void A_worker_exception_reaches_the_consumer_and_stops_the_workers()
    {
        var source = new SyntheticSource(300) { Explodes = 123 };
        using var loader = new DataLoader(source, Plain, Options(batch: 10, workers: 2, shuffle: false));
        var e = Assert.Throws<InvalidOperationException>(() => loader.Epoch(0).ToList());
        Assert.Equal("boom at 123", e.Message);
        var reads = source.Reads;
        Thread.Sleep(100);
        Assert.Equal(reads, source.Reads);
        Assert.InRange(reads, 124, 124 + 4 * 10);
    }

    [Fact]
    public void Breaking_out_or_disposing_stops_the_workers()
    {
        var source = new SyntheticSource(2000) { ReadDelayMs = 1 };
        using (var loader = new DataLoader(source, Plain, Options(batch: 10, workers: 2, prefetch: 2)))
        {
            foreach (var _ in loader.Epoch(0))
                break;
            var reads = source.Reads;
            Thread.Sleep(100);
            Assert.Equal(reads, source.Reads);
        }

        var other = new DataLoader(source, Plain, Options(batch: 10, workers: 2, prefetch: 2));
        using var enumerator = other.Epoch(0).GetEnumerator();
        Assert.True(enumerator.MoveNext());
        other.Dispose();
        Assert.Throws<ObjectDisposedException>(() => enumerator.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => other.Epoch(1));
    }

    [Fact]
    public void Unreadable_samples_are_reported_once_on_the_consumer_thread()
    {
        var source = new SyntheticSource(40) { Unreadable = [7] };
        using var loader = new DataLoader(source, Plain, Options(batch: 8, workers: 2));
        var consumer = Environment.CurrentManagedThreadId;
        var events = new List<(SkippedImage Image, int Thread)>();
        loader.ImageSkipped += s => events.Add((s, Environment.CurrentManagedThreadId));
        for (var epoch = 0; epoch < 3; epoch++)
            Assert.All(Collect(loader, epoch), b => Assert.DoesNotContain(7, b.Samples));
        var skipped = Assert.Single(loader.Skipped);
        Assert.Equal("/synthetic/7.jpg", skipped.Path);
        Assert.Equal((skipped, consumer), Assert.Single(events));

        var broken = new SyntheticSource(40) { Unreadable = [.. Enumerable.Range(0, 40)] };
        using var hopeless = new DataLoader(broken, Plain, Options(batch: 8, workers: 1));
        Assert.Contains("could not be decoded", Assert.Throws<DataException>(() => hopeless.Epoch(0).ToList()).Message);
    }
}
