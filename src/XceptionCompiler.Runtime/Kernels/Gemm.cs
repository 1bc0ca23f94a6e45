using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Blocked, packed single-precision matrix multiply, C (= or +=) op(A) * op(B), all row-major, optionally over a
/// batch of images that share A (C_i = op(A) * op(B_i), as in a pointwise convolution). The AVX-512 tile reads
/// op(A) where it is when M is a whole number of its row tiles (measured 3-6 % faster at batch 1 than packing it);
/// otherwise op(A) is packed once per call, by all threads, into the calling thread's scratch. Slices of
/// op(B) are packed by the thread that uses them, into panels sized for the caches (packing even an untransposed B
/// measured faster than reading it in place at its row pitch), and fed to a register-tile micro-kernel. The panels
/// come from an <see cref="IPanelSource"/>: copied from a matrix, or computed as they are packed (a separable
/// convolution's depthwise output, which then is never stored). The batch's
/// columns form one column space (image after image), so a tile may straddle two images and only the very last tile
/// of the batch is partial. The (column tile, row tile) pairs are split across <see cref="Workers"/> in equal shares
/// of their cost, column tile after column tile, so a thread packs only the panels of the column tiles it works on
/// (two threads share at most one) and none waits on a thread with one tile more.
/// </summary>
/// <remarks>
/// Every element of C is computed by the same sequence of operations whatever the thread count or batch size: the
/// split follows tile boundaries and the slicing of K does not depend on it, so results are bit-identical across
/// thread counts and equal to one call per image.
/// </remarks>
internal static unsafe class Gemm
{
    // K is cut into equal slices of at most this many steps: a slice's B panel (up to 96 KiB at 768 x 32) streams
    // from L2 per tile, and each slice is one pass over C. Equal slices leave no thin last one (K = 288 as 256 + 32
    // spent a whole pass over C on 32 steps). With the chunk below, 768 (the middle flow's K = 728 in one slice)
    // measured 1-2 % faster per step than 384 (RESULTS.md); with a 512 KiB chunk it was slower.
    private const int MaxDepth = 768;

    // Floats of B packed per chunk of column tiles (1 MiB, as large as a core's L2): packed once per slice, reused by
    // every row panel.
    private const int ChunkFloats = 256 * 1024;

    // Below this many multiply-adds the wake-up of a worker costs more than it saves.
    private const long ParallelThreshold = 1L << 16;

    /// <summary>
    /// C[m x n] = op(A)[m x k] * op(B)[k x n] (or += when <paramref name="accumulate"/>), where
    /// op(A)(i, p) = transA ? a[p*lda + i] : a[i*lda + p] and op(B)(p, j) = transB ? b[j*ldb + p] : b[p*ldb + j].
    /// </summary>
    public static void Multiply(
        int m, int n, int k, float* a, int lda, bool transA, float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate)
        => Multiply(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, GemmMicroKernels.Current);

    /// <summary>As the other overload, with an explicit micro-kernel (tests cover each).</summary>
    public static void Multiply(
        int m, int n, int k, float* a, int lda, bool transA, float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate, GemmMicroKernel kernel)
        => MultiplyBatch(1, 0, 0, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, kernel);

    /// <summary>
    /// For each of <paramref name="images"/> images i: C_i (= or +=) op(A) * op(B_i), with B_i = b + i * strideB and
    /// C_i = c + i * strideC, each as in <see cref="Multiply(int, int, int, float*, int, bool, float*, int, bool, float*, int, bool)"/>.
    /// </summary>
    public static void MultiplyBatch(
        int images, long strideB, long strideC, int m, int n, int k, float* a, int lda, bool transA,
        float* b, int ldb, bool transB, float* c, int ldc, bool accumulate)
        => MultiplyBatch(images, strideB, strideC, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, GemmMicroKernels.Current);

    /// <summary>As the other overload, with an explicit micro-kernel.</summary>
    public static void MultiplyBatch(
        int images, long strideB, long strideC, int m, int n, int k, float* a, int lda, bool transA,
        float* b, int ldb, bool transB, float* c, int ldc, bool accumulate, GemmMicroKernel kernel)
        => MultiplyBatch(images, strideC, m, n, k, a, lda, transA, new MatrixPanels(b, ldb, transB, strideB), c, ldc, accumulate, kernel);

    /// <summary>
    /// For each of <paramref name="images"/> images i: C_i (= or +=) op(A) * B_i with C_i = c + i * strideC, where
    /// <paramref name="panels"/> packs B_i (k x n) as the GEMM asks for it; then, unless accumulating, the
    /// <paramref name="epilogue"/> on each finished row (row r of C_i is channel r), its residual laid out like C.
    /// </summary>
    public static void MultiplyBatch<TSource>(
        int images, long strideC, int m, int n, int k, float* a, int lda, bool transA,
        TSource panels, float* c, int ldc, bool accumulate, GemmMicroKernel kernel, OutputEpilogue epilogue = default)
        where TSource : unmanaged, IPanelSource
    {
        if (accumulate && !epilogue.IsNone)
        {
            throw new ArgumentException("An epilogue applies to the product only, not to a sum with C's old values.", nameof(epilogue));
        }

        if (m <= 0 || n <= 0 || images <= 0)
        {
            return;
        }

        if (k <= 0)
        {
            if (!accumulate)
            {
                for (int image = 0; image < images; image++)
                {
                    for (int i = 0; i < m; i++)
                    {
                        new Span<float>(c + image * strideC + (long)i * ldc, n).Clear();
                    }
                }
            }

            return;
        }

        int rows = GemmMicroKernels.Rows(kernel);
        int columns = GemmMicroKernels.Columns(kernel);
        int rowTiles = (m + rows - 1) / rows;
        long totalColumns = (long)images * n;
        int columnTiles = (int)((totalColumns + columns - 1) / columns);
        bool parallel = (long)m * n * k * images >= ParallelThreshold;

        // With whole row tiles, the AVX-512 tile reads A where it is: packing it would only copy it.
        bool inPlaceA = kernel == GemmMicroKernel.Vector512 && m % rows == 0;
        var pack = new PackABody
        {
            A = a, Lda = lda, TransA = transA, M = m, K = k, TileRows = rows,
            Packed = inPlaceA ? null : ThreadScratch.Get(ScratchBuffer.PackA, (long)rowTiles * rows * k),
        };
        if (!inPlaceA)
        {
            Run(rowTiles, ref pack, parallel);
        }

        var body = new Body<TSource>
        {
            M = m, N = n, K = k, PackedA = pack.Packed, A = a, Lda = lda, TransA = transA, RowTiles = rowTiles, Panels = panels,
            C = c, Ldc = ldc, StrideC = strideC, Accumulate = accumulate, Kernel = kernel,
            TileRows = rows, TileColumns = columns, TotalColumns = totalColumns, ColumnTiles = columnTiles,
            // A last tile at most half as wide runs on half the accumulators (RunLeftHalf), in about half the time.
            HalfLast = kernel == GemmMicroKernel.Vector512 && totalColumns - (long)(columnTiles - 1) * columns <= columns / 2,
            Epilogue = epilogue,
        };
        Run(body.Units, ref body, parallel);
    }

    /// <summary>Steps per slice of a K-step product: K in equal slices of at most <see cref="MaxDepth"/>.</summary>
    private static int SliceDepth(int k)
    {
        int slices = (k + MaxDepth - 1) / MaxDepth;
        return (k + slices - 1) / slices;
    }

    private static void Run<TBody>(int count, ref TBody body, bool parallel)
        where TBody : unmanaged, IParallelBody
    {
        if (parallel)
        {
            Workers.For(count, ref body);
        }
        else
        {
            body.Run(0, count);
        }
    }

    /// <summary>Packs every slice of op(A) for a range of row tiles: slice pc starts at pc * (row tiles * rows).</summary>
    private struct PackABody : IParallelBody
    {
        public float* A, Packed;
        public int Lda, M, K, TileRows;
        public bool TransA;

        public readonly void Run(int begin, int end)
        {
            long paddedRows = (long)((M + TileRows - 1) / TileRows) * TileRows;
            int depth = SliceDepth(K);
            for (int pc = 0; pc < K; pc += depth)
            {
                int kc = Math.Min(depth, K - pc);
                float* slice = Packed + pc * paddedRows;
                GemmPacking.PackA(A, Lda, TransA, M, begin * TileRows, (end - begin) * TileRows, pc, kc, TileRows,
                    slice + (long)begin * TileRows * kc);
            }
        }
    }

    private struct Body<TSource> : IParallelBody
        where TSource : unmanaged, IPanelSource
    {
        public int M, N, K, Lda, Ldc, TileRows, TileColumns, RowTiles, ColumnTiles;
        public long StrideC, TotalColumns;
        // PackedA is null when A is read in place.
        public float* PackedA, A, C;
        public TSource Panels;
        public bool TransA, Accumulate, HalfLast;
        public GemmMicroKernel Kernel;
        public OutputEpilogue Epilogue;

        // The cost units of the work: two per (column tile, row tile) pair, one per pair of a half-width last tile,
        // numbered column tile after column tile. A thread computes the pairs whose first unit falls in its range.
        public readonly int Units => checked(2 * RowTiles * ColumnTiles - (HalfLast ? RowTiles : 0));

        private readonly long FirstUnit(int columnTile, int rowTile) =>
            (long)columnTile * 2 * RowTiles + (HalfLast && columnTile == ColumnTiles - 1 ? rowTile : 2 * rowTile);

        private readonly int ColumnTileOf(int unit) => Math.Min(unit / (2 * RowTiles), ColumnTiles - 1);

        // Hot loops are compiled fully optimized at once rather than after tiering (which can take seconds to reach).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            float* packB = ThreadScratch.Get(ScratchBuffer.PackB, ChunkFloats);
            int depth = SliceDepth(K);
            float* edge = stackalloc float[TileRows * TileColumns];
            // A shallow slice leaves room for more columns in the chunk: fewer, longer chunks (a depthwise producer
            // then recomputes fewer rows shared by two chunks).
            int tilesPerChunk = ChunkFloats / (depth * TileColumns);
            long paddedRows = (long)RowTiles * TileRows;
            int columnTile0 = ColumnTileOf(begin), columnTile1 = ColumnTileOf(end - 1) + 1;

            for (int chunk = columnTile0; chunk < columnTile1; chunk += tilesPerChunk)
            {
                int chunkEnd = Math.Min(columnTile1, chunk + tilesPerChunk);
                for (int pc = 0; pc < K; pc += depth)
                {
                    int kc = Math.Min(depth, K - pc);
                    bool add = Accumulate || pc > 0, last = pc + kc == K;
                    PackTiles(chunk, chunkEnd, pc, kc, packB);

                    float* slice = PackedA + pc * paddedRows;
                    for (int rowTile = 0; rowTile < RowTiles; rowTile++)
                    {
                        int i = rowTile * TileRows;
                        int tileRows = Math.Min(TileRows, M - i);
                        float* panelA = slice + (long)i * kc;
                        for (int t = chunk; t < chunkEnd;)
                        {
                            long unit = FirstUnit(t, rowTile);
                            if (unit < begin || unit >= end)
                            {
                                t++;
                                continue;
                            }

                            int tiles = DirectRun(t, chunkEnd, rowTile, tileRows, end);
                            Tile(tiles, kc, pc, i, tileRows, (long)t * TileColumns, panelA, packB + (long)(t - chunk) * kc * TileColumns, add, last, edge);
                            t += tiles;
                        }
                    }
                }
            }
        }

        // How many tiles from column tile t on (before chunkEnd) are whole, in t's image and this thread's (whose units
        // end before `end`), so that one kernel call computes them side by side; at least 1 (t itself, whatever it is).
        private readonly int DirectRun(int t, int chunkEnd, int rowTile, int tileRows, int end)
        {
            if (Kernel != GemmMicroKernel.Vector512 || tileRows != TileRows)
            {
                return 1;
            }

            (_, int j, _) = Piece((long)t * TileColumns, TileColumns);
            // The half-width last tile is never whole in its image, so no run reaches it. A whole tile's first unit is
            // 2 * (t * RowTiles + rowTile).
            int whole = (N - j) / TileColumns;
            int owned = (int)(((long)end - 1 - 2 * rowTile) / (2 * RowTiles)) - t + 1;
            return Math.Max(1, Math.Min(Math.Min(whole, owned), chunkEnd - t));
        }

        // `tiles` register tiles of C side by side, the first of whose first column in the batch's column space is
        // first: straight into C when they are whole and inside one image (DirectRun), else (one tile) computed on
        // zero-padded panels into the edge buffer and stored piecewise; after the last slice of K, through the epilogue.
        private readonly void Tile(int tiles, int kc, int pc, int i, int tileRows, long first, float* panelA, float* panelB, bool add, bool last, float* edge)
        {
            (int image, int j, _) = Piece(first, TileColumns);
            bool direct = tileRows == TileRows && j + TileColumns <= N;
            float* target = direct ? C + image * StrideC + (long)i * Ldc + j : edge;
            nint pitch = direct ? Ldc : TileColumns;
            if (Kernel == GemmMicroKernel.Vector256)
            {
                GemmMicroKernel256.Run(kc, panelA, panelB, target, pitch, direct && add);
            }
            else
            {
                // A in place (a row-major op(A) steps along a row, a transposed one down a column) or its packed panel.
                float* a = PackedA != null ? panelA : TransA ? A + (long)pc * Lda + i : A + (long)i * Lda + pc;
                nint rowStride = PackedA != null ? 1 : TransA ? 1 : Lda;
                nint stepStride = PackedA != null ? TileRows : TransA ? Lda : 1;
                if (HalfLast && first == (long)(ColumnTiles - 1) * TileColumns)
                {
                    GemmMicroKernel512.RunLeftHalf(kc, a, rowStride, stepStride, panelB, edge, TileColumns);
                }
                else if (direct && last && !Epilogue.IsNone)
                {
                    // The epilogue runs on the accumulators as they are stored: no pass over the tile in C.
                    GemmMicroKernel512.Run(tiles, kc, a, rowStride, stepStride, panelB, target, pitch, Epilogue.ForTiles(i, C, add));
                    return;
                }
                else
                {
                    GemmMicroKernel512.Run(tiles, kc, a, rowStride, stepStride, panelB, target, pitch, new OverwriteOrAdd512(direct && add));
                }
            }

            bool finish = last && !Epilogue.IsNone;
            if (!direct || finish)
            {
                Finish(direct ? null : edge, i, tileRows, first, add, finish);
            }
        }

        // Packs column tiles tile0 .. tile1-1 of the batch's column space into consecutive panels, one run per image
        // they cover, zero past the last column.
        private readonly void PackTiles(int tile0, int tile1, int pc, int kc, float* panels)
        {
            long first = (long)tile0 * TileColumns;
            int valid = (int)Math.Min((long)(tile1 - tile0) * TileColumns, TotalColumns - first);
            for (int offset = 0; offset < valid;)
            {
                (int image, int j, int count) = Piece(first + offset, valid - offset);
                Panels.Pack(image, j, count, pc, kc, offset, TileColumns, panels);
                offset += count;
            }

            int tail = valid % TileColumns;
            if (tail != 0)
            {
                GemmPacking.ZeroColumns(kc, tail, TileColumns, GemmPacking.PanelColumn(panels, kc, TileColumns, valid - tail));
            }
        }

        // The part of the batch's column space from `column` on, at most `remaining` wide, that lies in one image: the
        // image, its first column there, and its width.
        private readonly (int Image, int Column, int Count) Piece(long column, int remaining)
        {
            // Every tile of the first image (all of them at batch 1) is placed without a division.
            (long image, long j) = column < N ? (0, column) : Math.DivRem(column, N);
            return ((int)image, (int)j, Math.Min(N - (int)j, remaining));
        }

        // Rows i .. i+rows of the tile whose first column in the batch's column space is first, piece by piece (one per
        // image): stored from the edge buffer unless it is null (the tile is in C already), then through the epilogue.
        private readonly void Finish(float* edge, int i, int rows, long first, bool add, bool epilogue)
        {
            int valid = (int)Math.Min(TileColumns, TotalColumns - first);
            for (int offset = 0; offset < valid;)
            {
                (int image, int j, int count) = Piece(first + offset, valid - offset);
                for (int r = 0; r < rows; r++)
                {
                    long at = image * StrideC + (long)(i + r) * Ldc + j;
                    if (edge != null)
                    {
                        var src = new ReadOnlySpan<float>(edge + r * TileColumns + offset, count);
                        var dst = new Span<float>(C + at, count);
                        if (add)
                        {
                            TensorPrimitives.Add(dst, src, dst);
                        }
                        else
                        {
                            src.CopyTo(dst);
                        }
                    }

                    if (epilogue)
                    {
                        Epilogue.Apply(C, at, i + r, count);
                    }
                }

                offset += count;
            }
        }
    }
}
