using System.Diagnostics;

namespace XceptionCompiler.Runtime.Threading;

/// <summary>
/// A signal that one thread rings and one other thread waits for. The waiter spins on a flag for a while before it
/// blocks: the pool's calls come back to back, and a spinning thread sees the ring within a microsecond, while a
/// blocked one waits for the kernel to schedule it (measured: 10-20 microseconds a call on average, about 1 % of an
/// inference step at batch 1).
/// </summary>
internal sealed class Doorbell
{
    // How long a waiter spins before it blocks; a thread with nothing to do gives the core back after this.
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000;

    private readonly ManualResetEventSlim _event = new(false, 0);
    private int _rung;
    private int _sleeping;

    /// <summary>Rings: the waiter's <see cref="Wait"/> returns (or the next one does, if none is waiting).</summary>
    public void Ring()
    {
        // Publish the ring before looking for a sleeper; Wait publishes its sleep before looking for a ring, so at
        // least one of the two sees the other and no ring is lost.
        Interlocked.Exchange(ref _rung, 1);
        if (Volatile.Read(ref _sleeping) == 1)
        {
            _event.Set();
        }
    }

    /// <summary>Returns once the bell has rung since the last <see cref="Wait"/> returned.</summary>
    public void Wait()
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _rung) == 0)
        {
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(8);
                continue;
            }

            _event.Reset();
            Interlocked.Exchange(ref _sleeping, 1);
            if (Volatile.Read(ref _rung) == 0)
            {
                _event.Wait();
            }

            Volatile.Write(ref _sleeping, 0);
        }

        Volatile.Write(ref _rung, 0);
    }
}
