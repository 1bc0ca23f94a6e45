using System.Runtime.ExceptionServices;

namespace XceptionCompiler.Runtime.Threading;

/// <summary>
/// A small persistent pool of worker threads with static partitioning: <see cref="For{TBody}"/> splits an index
/// range into <see cref="ThreadCount"/> contiguous parts, runs part 0 on the calling thread and the others on the
/// workers, and returns when all are done. A call allocates nothing once the workers exist.
/// </summary>
/// <remarks>
/// One parallel call owns the pool at a time. A call made while the pool is owned (from another thread, or from
/// inside a body) runs its whole range inline instead of waiting, so nested and concurrent use stay correct.
/// Kernels partition over independent outputs, so results do not depend on which thread computes what.
/// </remarks>
public static unsafe class Workers
{
    private static int s_threadCount = Environment.ProcessorCount;
    private static int s_busy;
    private static Worker[] s_workers = [];

    // The job being run; written by the owning caller before the workers are woken.
    private static void* s_body;
    private static delegate*<void*, int, int, void> s_invoke;
    private static int s_count;
    private static int s_parts;
    private static int s_pending;
    private static ExceptionDispatchInfo? s_error;
    private static readonly Doorbell s_done = new();

    /// <summary>
    /// Number of threads a parallel call uses, the caller included (default: <see cref="Environment.ProcessorCount"/>;
    /// 1 runs everything inline on the caller).
    /// </summary>
    public static int ThreadCount
    {
        get => Volatile.Read(ref s_threadCount);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_threadCount, value);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> over the indices [0, <paramref name="count"/>), statically split into contiguous
    /// ranges, one per thread, and blocks until every range is done. The first exception thrown by a range is
    /// rethrown here after all ranges have finished.
    /// </summary>
    public static void For<TBody>(int count, ref TBody body)
        where TBody : unmanaged, IParallelBody
    {
        if (count <= 0)
        {
            return;
        }

        int parts = Math.Min(ThreadCount, count);
        if (parts == 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            body.Run(0, count);
            return;
        }

        try
        {
            EnsureWorkers(parts - 1);
            fixed (TBody* pointer = &body)
            {
                s_body = pointer;
                s_invoke = &Invoke<TBody>;
                s_count = count;
                s_parts = parts;
                s_error = null;
                Volatile.Write(ref s_pending, parts - 1);
                for (int w = 0; w < parts - 1; w++)
                {
                    s_workers[w].Wake();
                }

                RunPart(0);
                // The body pointer must stay valid until every worker is done with it.
                s_done.Wait();
            }
        }
        finally
        {
            s_body = null;
            Volatile.Write(ref s_busy, 0);
        }

        s_error?.Throw();
    }

    private static void Invoke<TBody>(void* body, int begin, int end)
        where TBody : unmanaged, IParallelBody
        => ((TBody*)body)->Run(begin, end);

    private static void RunPart(int part)
    {
        int begin = (int)((long)s_count * part / s_parts);
        int end = (int)((long)s_count * (part + 1) / s_parts);
        try
        {
            s_invoke(s_body, begin, end);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    // Called only by the pool's owner, so growing the array needs no lock.
    private static void EnsureWorkers(int needed)
    {
        if (s_workers.Length >= needed)
        {
            return;
        }

        var grown = new Worker[needed];
        Array.Copy(s_workers, grown, s_workers.Length);
        for (int w = s_workers.Length; w < needed; w++)
        {
            grown[w] = new Worker(w + 1);
        }

        s_workers = grown;
    }

    /// <summary>One persistent thread that runs a fixed part number of each job it is woken for.</summary>
    private sealed class Worker
    {
        private readonly Doorbell _start = new();
        private readonly int _part;

        public Worker(int part)
        {
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"XceptionCompiler worker {part}" };
            thread.Start();
        }

        public void Wake() => _start.Ring();

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                RunPart(_part);
                if (Interlocked.Decrement(ref s_pending) == 0)
                {
                    s_done.Ring();
                }
            }
        }
    }
}
