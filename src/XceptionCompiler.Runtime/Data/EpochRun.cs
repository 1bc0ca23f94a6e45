using System.Runtime.ExceptionServices;

namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// One pass over an epoch's batches: worker threads claim batch numbers in order, each filling a whole batch into a
/// free buffer, and the consumer takes them back in order. At most <see cref="LoaderOptions.Prefetch"/> batches are
/// ready or in progress at once besides the one the consumer holds, which returns to the free list when it asks for
/// the next. A worker's exception stops the run and is rethrown to the consumer.
/// </summary>
internal sealed class EpochRun : IDisposable
{
    private readonly DataLoader _loader;
    private readonly EpochPlan _plan;
    private readonly int _end;
    private readonly int _prefetch;
    private readonly object _gate = new();
    private readonly Queue<Batch> _free = new();
    private readonly Dictionary<int, Batch> _ready = [];
    private readonly List<Batch> _all = [];
    private readonly Thread[] _threads;
    private int _next;       // next batch to claim
    private int _consumed;   // next batch the consumer takes
    private int _inProgress;
    private Batch? _held;
    private bool _stop;
    private bool _disposed;
    private ExceptionDispatchInfo? _failure;

    public EpochRun(DataLoader loader, EpochPlan plan, int startBatch)
    {
        _loader = loader;
        _plan = plan;
        _next = _consumed = startBatch;
        _end = plan.BatchesPerEpoch;
        var options = loader.Options;
        _prefetch = options.Prefetch;
        var buffers = options.Workers == 0 ? 1 : Math.Min(_prefetch + 1, Math.Max(1, _end - startBatch) + 1);
        for (var i = 0; i < buffers; i++)
        {
            var batch = loader.RentBatch();
            _all.Add(batch);
            _free.Enqueue(batch);
        }
        _threads = new Thread[options.Workers];
        for (var w = 0; w < _threads.Length; w++)
        {
            _threads[w] = new Thread(Work) { IsBackground = true, Name = $"data-worker-{w}" };
            _threads[w].Start();
        }
    }

    /// <summary>Most batches seen ready or in progress at once (checked against Prefetch by tests).</summary>
    public int PeakPending { get; private set; }

    /// <summary>The next batch in order, or false at the end of the epoch. Hands the previous batch's buffer back.</summary>
    public bool TryNext(out Batch batch)
    {
        if (_threads.Length == 0)
            return TryNextInline(out batch);
        lock (_gate)
        {
            // Stopped from outside (the loader was disposed) while the consumer still enumerates.
            ObjectDisposedException.ThrowIf(_stop && _failure is null, _loader);
            if (_held is not null)
            {
                _free.Enqueue(_held);
                _held = null;
                Monitor.PulseAll(_gate);
            }
            if (_consumed >= _end)
            {
                batch = null!;
                return false;
            }
            Batch? found = null;
            while (_failure is null && !_ready.Remove(_consumed, out found))
            {
                ObjectDisposedException.ThrowIf(_stop, _loader);
                Monitor.Wait(_gate);
            }
            if (_failure is null)
            {
                _held = batch = found!;
                _consumed++;
                Monitor.PulseAll(_gate);
                return true;
            }
        }
        Dispose();
        _failure.Throw();
        throw new InvalidOperationException("unreachable");
    }

    private bool TryNextInline(out Batch batch)
    {
        ObjectDisposedException.ThrowIf(_stop, _loader);
        batch = null!;
        if (_consumed >= _end)
            return false;
        batch = _all[0];
        _loader.Fill(batch, _plan, _consumed++, Scratch, Random);
        PeakPending = 1;
        return true;
    }

    private TransformScratch Scratch => _inlineScratch ??= _loader.RentScratch();
    private TransformScratch? _inlineScratch;
    private SampleRandom Random { get; } = new();

    private void Work()
    {
        var scratch = _loader.RentScratch();
        var random = new SampleRandom();
        try
        {
            while (true)
            {
                Batch batch;
                int index;
                lock (_gate)
                {
                    while (!_stop && _next < _end && (_free.Count == 0 || _ready.Count + _inProgress >= _prefetch))
                        Monitor.Wait(_gate);
                    if (_stop || _next >= _end)
                        return;
                    batch = _free.Dequeue();
                    index = _next++;
                    _inProgress++;
                    PeakPending = Math.Max(PeakPending, _ready.Count + _inProgress);
                }
                _loader.Fill(batch, _plan, index, scratch, random);
                lock (_gate)
                {
                    _inProgress--;
                    _ready[index] = batch;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failure ??= ExceptionDispatchInfo.Capture(e);
                _stop = true;
                Monitor.PulseAll(_gate);
            }
        }
        finally
        {
            _loader.ReturnScratch(scratch);
        }
    }

    /// <summary>Stops and joins the workers (each finishes the sample it is on), then returns the buffers to the loader.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _stop = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var thread in _threads)
            thread.Join();
        if (_inlineScratch is not null)
            _loader.ReturnScratch(_inlineScratch);
        foreach (var batch in _all)
            _loader.ReturnBatch(batch);
        _loader.Forget(this);
    }
}
