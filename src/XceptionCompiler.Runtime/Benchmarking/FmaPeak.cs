using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace XceptionCompiler.Runtime.Benchmarking;

/// <summary>
/// The machine's fused multiply-add limit: every thread runs independent chains of vector FMAs from registers (no
/// memory traffic), enough chains to cover the FMA latency. The widest vector the hardware accelerates is used.
/// `xception bench --fma-peak` reports <see cref="Measure"/>; the BenchmarkDotNet suite times <see cref="Run"/>.
/// </summary>
public static class FmaPeak
{
    private const int MeasuredIterations = 20_000_000;

    // Twelve independent accumulators hide the 4-cycle FMA latency on two FMA ports.
    private const int Chains = 12;

    /// <summary>Floating-point operations one thread does per iteration of <see cref="Run"/> (an FMA counts as two).</summary>
    public static int FlopsPerIteration { get; } =
        2 * Chains * (Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count);

    /// <summary>
    /// Floating-point operations per second over <paramref name="threads"/> threads: the best of three runs, since a
    /// limit is what the machine reaches when nothing else competes.
    /// </summary>
    public static double Measure(int threads)
    {
        RunOneThread(1_000_000); // warm up the JIT and the cores
        return Enumerable.Range(0, 3).Max(_ => MeasureOnce(threads));
    }

    /// <summary>
    /// Runs <paramref name="iterations"/> iterations of the FMA chains on each of <paramref name="threads"/> new
    /// threads and returns when all are done: <see cref="FlopsPerIteration"/> x iterations x threads operations.
    /// </summary>
    public static void Run(int threads, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() => RunOneThread(iterations));
            workers[t].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }
    }

    private static double MeasureOnce(int threads)
    {
        var clock = Stopwatch.StartNew();
        Run(threads, MeasuredIterations);
        double seconds = clock.Elapsed.TotalSeconds;
        return (double)FlopsPerIteration * MeasuredIterations * threads / seconds;
    }

    // Not inlined, and the chains' sum is returned, so the JIT cannot drop the loop.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float RunOneThread(int iterations) =>
        Vector512.IsHardwareAccelerated ? RunChains(iterations, Vector512.Create(1.0001f), Vector512.Create(0.9999f)) : RunChains(iterations, Vector256.Create(1.0001f), Vector256.Create(0.9999f));

    private static float RunChains(int iterations, Vector512<float> a, Vector512<float> b)
    {
        Vector512<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, b, a); c1 = Vector512.FusedMultiplyAdd(c1, b, a); c2 = Vector512.FusedMultiplyAdd(c2, b, a);
            c3 = Vector512.FusedMultiplyAdd(c3, b, a); c4 = Vector512.FusedMultiplyAdd(c4, b, a); c5 = Vector512.FusedMultiplyAdd(c5, b, a);
            c6 = Vector512.FusedMultiplyAdd(c6, b, a); c7 = Vector512.FusedMultiplyAdd(c7, b, a); c8 = Vector512.FusedMultiplyAdd(c8, b, a);
            c9 = Vector512.FusedMultiplyAdd(c9, b, a); c10 = Vector512.FusedMultiplyAdd(c10, b, a); c11 = Vector512.FusedMultiplyAdd(c11, b, a);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    private static float RunChains(int iterations, Vector256<float> a, Vector256<float> b)
    {
        Vector256<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, b, a); c1 = Vector256.FusedMultiplyAdd(c1, b, a); c2 = Vector256.FusedMultiplyAdd(c2, b, a);
            c3 = Vector256.FusedMultiplyAdd(c3, b, a); c4 = Vector256.FusedMultiplyAdd(c4, b, a); c5 = Vector256.FusedMultiplyAdd(c5, b, a);
            c6 = Vector256.FusedMultiplyAdd(c6, b, a); c7 = Vector256.FusedMultiplyAdd(c7, b, a); c8 = Vector256.FusedMultiplyAdd(c8, b, a);
            c9 = Vector256.FusedMultiplyAdd(c9, b, a); c10 = Vector256.FusedMultiplyAdd(c10, b, a); c11 = Vector256.FusedMultiplyAdd(c11, b, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
