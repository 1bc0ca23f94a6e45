using System.Collections.Concurrent;

namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Turns an <see cref="IImageSource"/> and an <see cref="IImageTransform"/> into batches, MindCV-style: shuffled per
/// epoch, sharded across ranks, decoded and augmented by worker threads ahead of the consumer.
/// <para>Determinism: a batch's images, order and augmentation depend only on (seed, epoch, rank, world size) and the
/// batch index: never on the worker count or scheduling, so <see cref="Epoch"/>(e, startBatch) resumes exactly.</para>
/// <para>Unreadable images: a file that fails to decode is reported once (<see cref="ImageSkipped"/>, <see cref="Skipped"/>)
/// and its slot is filled by another sample chosen from (seed, epoch, slot), so batches keep their size.</para>
/// </summary>
public sealed class DataLoader : IDisposable
{
    /// <summary>Unreadable images in a row after which the data set is declared broken.</summary>
    public const int MaxReplacements = 32;

    private const ulong ReplacementStream = 0x5245504C41434531; // "REPLACE1"

    private readonly object _gate = new();
    private readonly List<SkippedImage> _skipped = [];
    private readonly ConcurrentDictionary<int, SkippedImage> _unreadable = new();
    private readonly ConcurrentBag<Batch> _batchPool = [];
    private readonly ConcurrentBag<TransformScratch> _scratchPool = [];
    private readonly List<EpochRun> _runs = [];
    private bool _disposed;

    public DataLoader(IImageSource source, IImageTransform transform, LoaderOptions options)
    {
        options.Validate();
        Source = source;
        Transform = transform;
        Options = options;
        BatchesPerEpoch = EpochPlan.BatchesFor(source.Count, options);
        SamplesPerEpoch = EpochPlan.SamplesPerRankFor(source.Count, options);
        if (BatchesPerEpoch == 0)
            throw new DataException(source.Description,
                $"holds {source.Count} images, {SamplesPerEpoch} per rank over {options.WorldSize} rank(s): not one full batch of {options.BatchSize} (lower batch_size or set drop_remainder false)");
    }

    public IImageSource Source { get; }
    public IImageTransform Transform { get; }
    public LoaderOptions Options { get; }

    /// <summary>Batches this rank gets per epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Samples this rank reads per epoch (before dropping a short last batch).</summary>
    public int SamplesPerEpoch { get; }

    /// <summary>Raised on the consumer's thread, before the batch that first met the file is handed out.</summary>
    public event Action<SkippedImage>? ImageSkipped;

    /// <summary>Every file skipped so far, once each.</summary>
    public IReadOnlyList<SkippedImage> Skipped
    {
        get
        {
            lock (_gate)
                return _skipped.ToArray();
        }
    }

    /// <summary>Most batches ready or in progress at once in the last finished or running epoch (at most Prefetch).</summary>
    internal int PeakPending { get; private set; }

    /// <summary>The order and sharding of an epoch.</summary>
    public EpochPlan Plan(int epoch) => new(Source.Count, Options, epoch);

    /// <summary>
    /// The batches of <paramref name="epoch"/> from <paramref name="startBatch"/> on. Workers start on the first
    /// MoveNext and stop when the enumeration ends or is disposed (a foreach that breaks early disposes it).
    /// A batch is valid until the next is requested.
    /// </summary>
    public IEnumerable<Batch> Epoch(int epoch, int startBatch = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (startBatch < 0 || startBatch > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(startBatch), startBatch, $"an epoch has batches 0..{BatchesPerEpoch - 1}");
        return Run(epoch, startBatch);
    }

    private IEnumerable<Batch> Run(int epoch, int startBatch)
    {
        EpochRun run;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            run = new EpochRun(this, Plan(epoch), startBatch);
            _runs.Add(run);
        }
        try
        {
            while (run.TryNext(out var batch))
            {
                PeakPending = Math.Max(PeakPending, run.PeakPending);
                foreach (var skipped in batch.NewSkips)
                    ImageSkipped?.Invoke(skipped);
                yield return batch;
            }
        }
        finally
        {
            PeakPending = Math.Max(PeakPending, run.PeakPending);
            run.Dispose();
        }
    }

    /// <summary>Fills <paramref name="batch"/> with batch <paramref name="index"/> of <paramref name="plan"/>. Called on worker threads.</summary>
    internal void Fill(Batch batch, EpochPlan plan, int index, TransformScratch scratch, SampleRandom random)
    {
        var count = plan.BatchCount(index);
        batch.Index = index;
        batch.Epoch = plan.Epoch;
        batch.Count = count;
        batch.NewSkips.Clear();
        for (var i = 0; i < count; i++)
        {
            var k = index * plan.BatchSize + i;
            var slot = plan.Slot(k);
            var sourceIndex = ReadWithReplacement(plan.SourceIndex(k), plan.Epoch, slot, scratch.Decoded, batch.NewSkips);
            random.Reseed(SampleRandom.SeedFor(Options.Seed, plan.Epoch, slot));
            Transform.Apply(scratch.Decoded, random, scratch, batch.Image(i));
            batch.Labels[i] = Source.LabelOf(sourceIndex);
            batch.SampleIndices[i] = sourceIndex;
            batch.IsPadding[i] = plan.IsPadding(k);
        }
        // Zero the unused tail so a consumer that runs the full capacity sees no stale images.
        batch.Images.AsSpan(count * batch.ImageSize).Clear();
        batch.Labels.AsSpan(count).Clear();
        batch.SampleIndices.AsSpan(count).Fill(-1);
        batch.IsPadding.AsSpan(count).Clear();
    }

    /// <summary>Reads a sample; an unreadable one is recorded and replaced by a sample chosen from (seed, epoch, slot, attempt).</summary>
    private int ReadWithReplacement(int sourceIndex, int epoch, long slot, PixelImage image, List<SkippedImage> newSkips)
    {
        ImageDecodeException? last = null;
        for (var attempt = 0; attempt <= MaxReplacements; attempt++)
        {
            if (!_unreadable.ContainsKey(sourceIndex))
            {
                try
                {
                    Source.Read(sourceIndex, image);
                    return sourceIndex;
                }
                catch (ImageDecodeException e)
                {
                    last = e;
                    var skipped = new SkippedImage(e.Path, e.Problem);
                    if (_unreadable.TryAdd(sourceIndex, skipped))
                    {
                        lock (_gate)
                            _skipped.Add(skipped);
                        newSkips.Add(skipped);
                    }
                }
            }
            sourceIndex = (int)(SampleRandom.SeedFor(Options.Seed, epoch, slot, ReplacementStream + (ulong)attempt) % (ulong)Source.Count);
        }
        throw new DataException(Source.Description,
            $"{MaxReplacements + 1} images in a row could not be decoded ({_unreadable.Count} unreadable files so far; last: {last?.Message ?? "already known unreadable"}): the data set looks broken", last);
    }

    internal Batch RentBatch()
    {
        while (_batchPool.TryTake(out var batch))
            if (batch.Capacity == Options.BatchSize)
                return batch;
        return new Batch(Options.BatchSize, Transform.Channels, Transform.Height, Transform.Width);
    }

    internal void ReturnBatch(Batch batch) => _batchPool.Add(batch);

    internal TransformScratch RentScratch() => _scratchPool.TryTake(out var scratch) ? scratch : new TransformScratch();

    internal void ReturnScratch(TransformScratch scratch) => _scratchPool.Add(scratch);

    internal void Forget(EpochRun run)
    {
        lock (_gate)
            _runs.Remove(run);
    }

    /// <summary>Stops every running epoch's workers and waits for them.</summary>
    public void Dispose()
    {
        EpochRun[] runs;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            runs = _runs.ToArray();
        }
        foreach (var run in runs)
            run.Dispose();
    }
}
