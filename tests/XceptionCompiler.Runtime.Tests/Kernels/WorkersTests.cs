using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>These tests change <see cref="Workers.ThreadCount"/> and measure allocations, so they run alone.</summary>
[CollectionDefinition(nameof(WorkersCollection), DisableParallelization = true)]
public sealed class WorkersCollection;

/// <summary><see cref="Workers"/>: coverage of the index range, no allocation, errors, and thread-count independence of kernels.</summary>
[Collection(nameof(WorkersCollection))]
public sealed unsafe class WorkersTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 5)]
    [InlineData(2, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(4, 1001)]
    public void EveryIndexRunsExactlyOnce(int threads, int count)
    {
        var hits = new int[Math.Max(count, 1)];
        ThreadCounts.With(threads, () =>
        {
            fixed (int* p = hits)
            {
                var body = new CountingBody { Hits = p };
                Workers.For(count, ref body);
            }
        });

        Assert.All(hits.Take(count), h => Assert.Equal(1, h));
    }

    [Fact]
    public void ParallelCallsAllocateNothing()
    {
        var s = new DepthwiseShape(8, 19, 19, 19, 19, 3, 1, 1, 1);
        float[] x = TestTensors.Random(2 * 8 * 361, 1), w = TestTensors.Random(8 * 9, 2), y = new float[x.Length];
        float[] pw = TestTensors.Random(64 * 8, 3), py = new float[2 * 64 * 361];
        var hits = new int[64];
        ThreadCounts.With(2, () =>
        {
            fixed (float* px = x, pwd = w, pyd = y, ppw = pw, ppy = py)
            fixed (int* ph = hits)
            {
                for (int i = 0; i < 20; i++)
                {
                    AllocationStep(ph, hits.Length, px, pwd, pyd, ppw, ppy, s);
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 100; i++)
                {
                    AllocationStep(ph, hits.Length, px, pwd, pyd, ppw, ppy, s);
                }

                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.Equal(0, allocated);
            }
        });
    }

    // A bare parallel call and two kernels that use the pool and per-thread scratch.
    private static void AllocationStep(int* hits, int count, float* x, float* w, float* y, float* pw, float* py, in DepthwiseShape s)
    {
        var body = new CountingBody { Hits = hits };
        Workers.For(count, ref body);
        Depthwise.Forward(x, w, y, 2, s, reluInput: true);
        Pointwise.Forward(y, pw, py, 2, 8, 64, 361);
    }

    [Fact]
    public void AnExceptionInAWorkerReachesTheCaller()
    {
        ThreadCounts.With(2, () =>
        {
            var body = new ThrowingBody { ThrowAt = 7 };
            var error = Assert.Throws<InvalidOperationException>(() => Workers.For(8, ref body));
            Assert.Contains("index 7", error.Message);
        });
    }

    [Fact]
    public void ThreadCountMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Workers.ThreadCount = 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void KernelsGiveIdenticalResultsOnOneAndMoreThreads(int threads)
    {
        float[][] one = ThreadCounts.With(1, RunKernels);
        float[][] more = ThreadCounts.With(threads, RunKernels);
        for (int i = 0; i < one.Length; i++)
        {
            TensorAssert.Identical($"kernel output {i}", one[i], more[i]);
        }
    }

    // One forward and backward through each parallel kernel on fixed inputs; returns every output.
    private static float[][] RunKernels()
    {
        const int batch = 2;
        var conv = new ConvShape(5, 15, 15, 12, 8, 8, 3, 3, 2, 1, 1);
        var dws = new DepthwiseShape(12, 8, 8, 8, 8, 3, 1, 1, 1);
        var pool = new PoolShape(12, 8, 8, 4, 4, 3, 2, 1, 1);
        const int channels = 12, spatial = 64, pointOut = 40;
        float[] x = TestTensors.Random(batch * 5 * 225, 1), cw = TestTensors.Random(12 * 5 * 9, 2);
        float[] cy = new float[batch * channels * spatial], dy1 = new float[cy.Length], bn = new float[cy.Length];
        float[] dwW = TestTensors.Random(channels * 9, 3), pw = TestTensors.Random(pointOut * channels, 4), py = new float[batch * pointOut * spatial];
        float[] gamma = TestTensors.Random(channels, 5), beta = TestTensors.Random(channels, 6);
        float[] rm = new float[channels], rv = new float[channels], sm = new float[channels], si = new float[channels];
        float[] pooled = new float[batch * channels * 16], gap = new float[batch * channels];
        float[] dPy = TestTensors.Random(py.Length, 7), dBn = new float[cy.Length], dCy = new float[cy.Length];
        float[] dx = new float[x.Length], dcw = new float[cw.Length], ddw = new float[dwW.Length], dpw = new float[pw.Length];
        float[] dg = new float[channels], db = new float[channels], dres = new float[cy.Length], dPool = new float[cy.Length];
        float[] ws = new float[Conv2d.WorkspaceFloats(conv)];
        // A GEMM whose threads share a column tile's rows, with a half-width last tile (5 x 3 register tiles).
        float[] ga = TestTensors.Random(40 * 50, 8), gb = TestTensors.Random(50 * 80, 9), gc = new float[40 * 80];
        float[] dxBoth = new float[cy.Length], dwBoth = new float[dwW.Length];
        fixed (float* px = x, pcw = cw, pcy = cy, pdy1 = dy1, pbn = bn, pdwW = dwW, ppw = pw, ppy = py, pg = gamma, pb = beta)
        fixed (float* prm = rm, prv = rv, psm = sm, psi = si, ppool = pooled, pgap = gap, pdPy = dPy, pdBn = dBn, pdCy = dCy)
        fixed (float* pdx = dx, pdcw = dcw, pddw = ddw, pdpw = dpw, pdg = dg, pdb = db, pdres = dres, pdPool = dPool, pws = ws)
        fixed (float* pga = ga, pgb = gb, pgc = gc, pdxBoth = dxBoth, pdwBoth = dwBoth)
        {
            Gemm.Multiply(40, 80, 50, pga, 50, false, pgb, 80, false, pgc, 80, accumulate: false);
            Conv2d.Forward(px, pcw, pcy, batch, conv, false);
            Depthwise.Forward(pcy, pdwW, pdy1, batch, dws, reluInput: true);
            BatchNorm.TrainForward(pdy1, pbn, pg, pb, prm, prv, psm, psi, batch, channels, spatial, 1e-3f, 0.1f, pcy, reluOutput: true);
            Pointwise.Forward(pbn, ppw, ppy, batch, channels, pointOut, spatial);
            MaxPool.Forward(pbn, ppool, batch, pool, null);
            GlobalAvgPool.Forward(pbn, pgap, batch, channels, spatial);

            Pointwise.BackwardData(pdPy, ppw, pdBn, batch, channels, pointOut, spatial, accumulate: false);
            Pointwise.BackwardWeights(pdPy, pbn, pdpw, batch, channels, pointOut, spatial);
            MaxPool.Backward(ppool, pbn, pdPool, batch, pool, accumulate: false);
            BatchNorm.Backward(pdBn, pbn, pdy1, pg, psm, psi, pdCy, pdg, pdb, batch, channels, spatial, true, pdres, false);
            Depthwise.BackwardData(pdCy, pdwW, pcy, pdres, batch, dws, reluInput: true, accumulate: true);
            Depthwise.BackwardWeights(pdCy, pcy, pddw, batch, dws, reluInput: true);
            Depthwise.Backward(pdCy, pdwW, pcy, pdxBoth, pdwBoth, batch, dws, reluInput: true, accumulate: false);
            Conv2d.BackwardData(pdres, pcw, px, pdx, batch, conv, true, false, pws);
            Conv2d.BackwardWeights(pdres, px, pdcw, batch, conv, false);
        }

        return [cy, dy1, bn, rm, rv, sm, si, py, pooled, gap, dBn, dpw, dPool, dCy, dg, db, dres, ddw, dx, dcw, gc, dxBoth, dwBoth];
    }

    private struct CountingBody : IParallelBody
    {
        public int* Hits;

        public readonly void Run(int begin, int end)
        {
            for (int i = begin; i < end; i++)
            {
                Interlocked.Increment(ref Hits[i]);
            }
        }
    }

    private struct ThrowingBody : IParallelBody
    {
        public int ThrowAt;

        public readonly void Run(int begin, int end)
        {
            if (begin <= ThrowAt && ThrowAt < end)
            {
                throw new InvalidOperationException($"index {ThrowAt}");
            }
        }
    }
}
