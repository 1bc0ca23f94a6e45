using System.Runtime.CompilerServices;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// A dense 3x3, stride-1 convolution (Xception's second stem convolution) and its data gradient by Winograd's
/// F(2x2, 3x3) (<see cref="WinogradTransform"/>): 16 multiply-adds per input channel and 2x2 output tile instead of
/// 36, so the GEMM does 2.25 times less work than over the column matrix, and the data gradient needs no column
/// matrix to scatter back. The work is one tile row of one image at a time, in chunks of 32 tiles: the chunk's
/// transformed input (16 points x input channels x 32 tiles) and the 16 products (output channels x 32 tiles each,
/// by the AVX-512 register tile) stay in L2 between the transforms. Each output value is computed by the same
/// operations whatever the thread count or batch size.
/// </summary>
internal static unsafe class WinogradConv
{
    private const int Points = WinogradTransform.Points;
    private const int Lanes = WinogradTransform.Lanes;
    private const int TileColumns = GemmMicroKernel512.Columns;
    private const int TileRows = GemmMicroKernel512.Rows;

    // Below this many input channels the column-matrix GEMM's deeper K wins; above this many, the chunk's transformed
    // input outgrows L2.
    private const int MinInChannels = 16;
    private const int MaxInChannels = 256;

    // Floats between consecutive point planes beyond their contents: planes a multiple of 4 KiB apart map to one L1
    // set, and a transform touches all 16.
    private const int PointPadding = 16;

    /// <summary>Whether <see cref="Forward"/> computes this convolution on the path in force.</summary>
    public static bool Applies(in ConvShape s) =>
        IsThreeByThreeStrideOne(s) && s.InChannels >= MinInChannels && s.InChannels <= MaxInChannels
        && SimdPath.Current == SimdWidth.Vector512;

    /// <summary>Whether <see cref="BackwardData"/> computes this convolution's data gradient on the path in force.</summary>
    public static bool AppliesToBackwardData(in ConvShape s) =>
        IsThreeByThreeStrideOne(s) && s.PadTop <= 2 && s.PadLeft <= 2 && Applies(DataGradientShape(s));

    /// <summary>
    /// y = W * f(x) for a batch, f = ReLU when <paramref name="reluInput"/> (x is not modified), then the
    /// <paramref name="epilogue"/> on each finished output row when there is one.
    /// </summary>
    public static void Forward(float* x, float* w, float* y, int batch, in ConvShape s, bool reluInput, OutputEpilogue epilogue)
    {
        Check(s);
        Run(new Body { X = x, Y = y, Shape = s, Relu = reluInput, Epilogue = epilogue }, w, flipped: false, batch);
    }

    /// <summary>
    /// dx (= or +=) the gradient of y = W * f(x) with respect to x, times (x &gt; 0) when <paramref name="reluInput"/>:
    /// the correlation of dy, padded by 2 - pad, with W's filters transposed and turned by 180 degrees.
    /// </summary>
    public static void BackwardData(float* dy, float* w, float* x, float* dx, int batch, in ConvShape s, bool reluInput, bool accumulate)
    {
        Check(s);
        if (s.PadTop > 2 || s.PadLeft > 2)
        {
            throw new ArgumentException($"A 3x3 convolution's data gradient by Winograd needs padding of at most 2, not {s}.", nameof(s));
        }

        var body = new Body
        {
            X = dy, Y = dx, Shape = DataGradientShape(s), Staged = true, Mask = reluInput ? x : null, Accumulate = accumulate,
        };
        Run(body, w, flipped: true, batch);
    }

    private static void Check(in ConvShape s)
    {
        if (!IsThreeByThreeStrideOne(s))
        {
            throw new ArgumentException($"Winograd F(2x2, 3x3) computes 3x3 stride-1 convolutions, not {s}.", nameof(s));
        }
    }

    private static bool IsThreeByThreeStrideOne(in ConvShape s) => s.KernelHeight == 3 && s.KernelWidth == 3 && s.Stride == 1;

    // The data gradient as a forward correlation: dy in, dx out, padded so that output row r sees dy rows r - 2 + pad ..
    private static ConvShape DataGradientShape(in ConvShape s) =>
        new(s.OutChannels, s.OutHeight, s.OutWidth, s.InChannels, s.InHeight, s.InWidth, 3, 3, 1, 2 - s.PadTop, 2 - s.PadLeft);

    private static void Run(Body body, float* w, bool flipped, int batch)
    {
        ConvShape s = body.Shape;
        body.Rows = (s.OutChannels + TileRows - 1) / TileRows * TileRows;
        body.U = ThreadScratch.Get(ScratchBuffer.PackA, (long)Points * body.Rows * s.InChannels);
        WinogradTransform.Weights(w, s.OutChannels, s.InChannels, body.Rows, flipped, body.U);
        Workers.For(batch * body.TileRowsPerImage, ref body);
    }

    private struct Body : IParallelBody
    {
        public float* X, U, Y;
        public ConvShape Shape;
        public int Rows;
        public bool Relu;
        public OutputEpilogue Epilogue;

        // A data gradient's rows are transformed into scratch, then stored into Y through the mask (x > 0) when there
        // is one, added to Y when accumulating.
        public bool Staged, Accumulate;
        public float* Mask;

        public readonly int TileRowsPerImage => (Shape.OutHeight + 1) / 2;

        // Tiles per tile row, rounded up to whole vectors: the last chunk is 32 or 16 tiles wide.
        private readonly int PaddedTiles => ((Shape.OutWidth + 1) / 2 + Lanes - 1) / Lanes * Lanes;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run(int begin, int end)
        {
            ConvShape s = Shape;
            int k = s.InChannels;
            // Chunk-major point planes: the input's (k x 32 tiles, a B panel) and the products' (Rows x 32 tiles).
            nint inputPoint = (nint)k * TileColumns + PointPadding, productPoint = (nint)Rows * TileColumns + PointPadding;
            float* v = ThreadScratch.Get(ScratchBuffer.PackB, Points * inputPoint);
            float* m = ThreadScratch.Get(ScratchBuffer.Plane0, Points * productPoint);
            float* staged = Staged ? ThreadScratch.Get(ScratchBuffer.Plane1, 2L * s.OutChannels * s.OutWidth) : null;
            long inPlane = (long)s.InHeight * s.InWidth, outPlane = (long)s.OutHeight * s.OutWidth;
            for (int unit = begin; unit < end; unit++)
            {
                (int image, int tileRow) = Math.DivRem(unit, TileRowsPerImage);
                float* input = X + image * s.InChannels * inPlane;
                int outRow = 2 * tileRow, outRows = Math.Min(2, s.OutHeight - outRow);
                long first = image * s.OutChannels * outPlane + (long)outRow * s.OutWidth;
                // Where the output transform writes: the output planes, or the two staged rows of each channel.
                float* target = Staged ? staged : Y + first - (long)outRow * s.OutWidth;
                long targetPlane = Staged ? 2L * s.OutWidth : outPlane;
                int targetRow = Staged ? 0 : outRow;
                for (int chunk = 0; chunk < PaddedTiles; chunk += TileColumns)
                {
                    int tiles = Math.Min(TileColumns, PaddedTiles - chunk);
                    for (int lane = 0; lane < tiles; lane += Lanes)
                    {
                        int left = 2 * (chunk + lane) - s.PadLeft;
                        WinogradTransform.InputChannels(input, inPlane, k, s.InHeight, s.InWidth, outRow - s.PadTop, left, Relu,
                            v + lane, TileColumns, inputPoint);
                    }

                    Products(v, m, tiles, inputPoint, productPoint);
                    for (int lane = 0; lane < tiles; lane += Lanes)
                    {
                        WinogradTransform.OutputChannels(m + lane, TileColumns, productPoint, s.OutChannels, target, targetPlane,
                            targetRow + outRows, s.OutWidth, targetRow, 2 * (chunk + lane));
                    }
                }

                FinishRows(staged, first, outRow, outRows);
            }
        }

        // The tile row's finished output rows: stored from the staging rows, or through the epilogue in place.
        private readonly void FinishRows(float* staged, long first, int outRow, int outRows)
        {
            ConvShape s = Shape;
            long outPlane = (long)s.OutHeight * s.OutWidth;
            for (int o = 0; o < s.OutChannels; o++)
            {
                for (int r = 0; r < outRows; r++)
                {
                    long at = first + o * outPlane + (long)r * s.OutWidth;
                    if (Staged)
                    {
                        VectorRows.StoreGradient(staged + (2L * o + r) * s.OutWidth, Mask == null ? null : Mask + at, Y + at, s.OutWidth, Accumulate);
                    }
                    else if (!Epilogue.IsNone)
                    {
                        Epilogue.Apply(Y, at, o, s.OutWidth);
                    }
                }
            }
        }

        // m[xi] (Rows x tiles) = u[xi] (Rows x k) * v[xi] (k x tiles) at each point xi: a whole register tile, or its
        // left half for a last chunk of 16 tiles.
        private readonly void Products(float* v, float* m, int tiles, nint inputPoint, nint productPoint)
        {
            int k = Shape.InChannels;
            for (int point = 0; point < Points; point++)
            {
                float* b = v + point * inputPoint;
                for (int row = 0; row < Rows; row += TileRows)
                {
                    float* a = U + ((long)point * Rows + row) * k;
                    float* c = m + point * productPoint + row * TileColumns;
                    if (tiles == TileColumns)
                    {
                        GemmMicroKernel512.Run(1, k, a, k, 1, b, c, TileColumns, new OverwriteOrAdd512(false));
                    }
                    else
                    {
                        GemmMicroKernel512.RunLeftHalf(k, a, k, 1, b, c, TileColumns);
                    }
                }
            }
        }
    }
}
