using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Blocked, packed single-precision matrix multiply, C (= or +=) op(A) * op(B), all row-major, in the usual
/// three-level blocking: KC-deep slices of both operands are packed into panels sized for the caches and fed to a
/// register-tile micro-kernel. The rows or the columns of C (whichever has more tiles) are split across
/// <see cref="Workers"/>; each thread packs what it needs into its own scratch, so there is no shared state.
/// </summary>
/// <remarks>
/// Every element of C is computed by the same sequence of operations whatever the thread count: the split follows
/// tile boundaries and the KC slicing does not depend on it, so results are bit-identical across thread counts.
/// </remarks>
internal static unsafe class Gemm
{
    // KC x Columns of B (32 KiB at 256 x 32) streams from L2 per tile; MC x KC of A (128 KiB) stays in L2;
    // KC x NC of B (512 KiB) is packed once per slice and reused by every row panel.
    private const int KC = 256;
    private const int MCTarget = 128;
    private const int NC = 512;

    // Below this many multiply-adds the wake-up of a worker costs more than it saves.
    private const long ParallelThreshold = 1L << 16;

    /// <summary>
    /// C[m x n] = op(A)[m x k] * op(B)[k x n] (or += when <paramref name="accumulate"/>), where
    /// op(A)(i, p) = transA ? a[p*lda + i] : a[i*lda + p] and op(B)(p, j) = transB ? b[j*ldb + p] : b[p*ldb + j].
    /// </summary>
    public static void Multiply(
        int m, int n, int k, float* a, int lda, bool transA, float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate)
        => Multiply(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, GemmMicroKernels.Best);

    /// <summary>As the other overload, with an explicit micro-kernel (tests cover each).</summary>
    public static void Multiply(
        int m, int n, int k, float* a, int lda, bool transA, float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate, GemmMicroKernel kernel)
    {
        if (m <= 0 || n <= 0)
        {
            return;
        }

        if (k <= 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<float>(c + (long)i * ldc, n).Clear();
                }
            }

            return;
        }

        int rows = GemmMicroKernels.Rows(kernel);
        int columns = GemmMicroKernels.Columns(kernel);
        int rowTiles = (m + rows - 1) / rows;
        int columnTiles = (n + columns - 1) / columns;
        var body = new Body
        {
            M = m, N = n, K = k, A = a, Lda = lda, TransA = transA, B = b, Ldb = ldb, TransB = transB,
            C = c, Ldc = ldc, Accumulate = accumulate, Kernel = kernel, TileRows = rows, TileColumns = columns,
            SplitRows = rowTiles > columnTiles,
        };
        int tiles = body.SplitRows ? rowTiles : columnTiles;
        if ((long)m * n * k < ParallelThreshold)
        {
            body.Run(0, tiles);
        }
        else
        {
            Workers.For(tiles, ref body);
        }
    }

    private struct Body : IParallelBody
    {
        public int M, N, K, Lda, Ldb, Ldc, TileRows, TileColumns;
        public float* A, B, C;
        public bool TransA, TransB, Accumulate, SplitRows;
        public GemmMicroKernel Kernel;

        public readonly void Run(int begin, int end)
        {
            if (SplitRows)
            {
                Block(begin * TileRows, Math.Min(M, end * TileRows), 0, N);
            }
            else
            {
                Block(0, M, begin * TileColumns, Math.Min(N, end * TileColumns));
            }
        }

        // Hot loops are compiled fully optimized at once rather than after tiering (which can take seconds to reach).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Block(int m0, int m1, int n0, int n1)
        {
            int mcMax = MCTarget / TileRows * TileRows;
            float* packA = ThreadScratch.Get(ScratchBuffer.PackA, (long)mcMax * KC);
            float* packB = ThreadScratch.Get(ScratchBuffer.PackB, (long)KC * NC);
            float* edge = stackalloc float[TileRows * TileColumns];

            for (int jc = n0; jc < n1; jc += NC)
            {
                int nc = Math.Min(NC, n1 - jc);
                for (int pc = 0; pc < K; pc += KC)
                {
                    int kc = Math.Min(KC, K - pc);
                    bool add = Accumulate || pc > 0;
                    GemmPacking.PackB(B, Ldb, TransB, n1, pc, kc, jc, nc, TileColumns, packB);
                    for (int ic = m0; ic < m1; ic += mcMax)
                    {
                        int mc = Math.Min(mcMax, m1 - ic);
                        GemmPacking.PackA(A, Lda, TransA, m1, ic, mc, pc, kc, TileRows, packA);
                        for (int ir = 0; ir < mc; ir += TileRows)
                        {
                            float* panelA = packA + (long)ir * kc;
                            int tileRows = Math.Min(TileRows, mc - ir);
                            for (int jr = 0; jr < nc; jr += TileColumns)
                            {
                                float* panelB = packB + (long)jr * kc;
                                float* tile = C + (long)(ic + ir) * Ldc + jc + jr;
                                int tileColumns = Math.Min(TileColumns, nc - jr);
                                if (tileRows == TileRows && tileColumns == TileColumns)
                                {
                                    MicroKernel(kc, panelA, panelB, tile, Ldc, add);
                                }
                                else
                                {
                                    // A partial tile is computed in full on zero-padded panels, then the valid part is kept.
                                    MicroKernel(kc, panelA, panelB, edge, TileColumns, add: false);
                                    StoreEdge(edge, tile, tileRows, tileColumns, add);
                                }
                            }
                        }
                    }
                }
            }
        }

        private readonly void MicroKernel(int kc, float* a, float* b, float* c, nint ldc, bool add)
        {
            if (Kernel == GemmMicroKernel.Vector512)
            {
                GemmMicroKernel512.Run(kc, a, b, c, ldc, add);
            }
            else
            {
                GemmMicroKernel256.Run(kc, a, b, c, ldc, add);
            }
        }

        private readonly void StoreEdge(float* edge, float* tile, int rows, int columns, bool add)
        {
            for (int r = 0; r < rows; r++)
            {
                float* src = edge + r * TileColumns;
                float* dst = tile + (long)r * Ldc;
                for (int j = 0; j < columns; j++)
                {
                    dst[j] = add ? dst[j] + src[j] : src[j];
                }
            }
        }
    }
}
