using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Depthwise K x K convolution on NCHW (weights [C, 1, K, K]), the GPU side of the CPU <see cref="Depthwise"/>.
/// A group of 256 threads owns an 8 x 32 tile of one (image, channel) plane, one thread per element, a warp per tile
/// row so global reads are coalesced. It stages the input window the tile needs (tile + halo) in shared memory once,
/// reading it through the prologue there, then every thread computes its element from shared memory.
/// The input is read as f(x) = ReLU?(prologue ? FMA(x, scale[c], shift[c]) : x), exactly as the CPU kernel reads it
/// through a <see cref="ChannelAffine"/>; padding cells are zeros of f(x). Kernels up to 7 x 7, strides 1 and 2.
/// </summary>
public static class GpuDepthwise
{
    /// <summary>Rows of a tile.</summary>
    public const int TileRows = 8;

    /// <summary>Columns of a tile: one warp.</summary>
    public const int TileColumns = 32;

    /// <summary>Threads per group: one per tile element.</summary>
    public const int GroupSize = TileRows * TileColumns;

    /// <summary>Largest kernel size the fixed shared-memory windows hold.</summary>
    public const int MaxKernel = 7;

    /// <summary>Largest stride the fixed shared-memory windows hold.</summary>
    public const int MaxStride = 2;

    // The weight gradient spreads each channel over at most this many groups (each loops over its share of the
    // batch's tiles), so the atomics per weight stay few while small layers still fill the GPU.
    private const int MaxWeightSlices = 16;

    // Input window of an output tile: ((tile - 1) * stride + K) per side at most.
    private const int InputWindowFloats = (((TileRows - 1) * MaxStride) + MaxKernel) * (((TileColumns - 1) * MaxStride) + MaxKernel);

    // dy window of an input tile; largest at stride 1: (tile + K - 1) per side.
    private const int GradientWindowFloats = (TileRows + MaxKernel - 1) * (TileColumns + MaxKernel - 1);

    /// <summary>y = depthwise(f(x), weight) for n images.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> scale, ArrayView<float> shift,
        ArrayView<float> y, int n, DepthwiseShape s, bool reluInput, bool prologue)
    {
        ArrayView<float> window = SharedMemory.Allocate<float>(InputWindowFloats);
        int tilesAcross = DeviceMath.CeilDiv(s.OutWidth, TileColumns);
        int tilesPerPlane = DeviceMath.CeilDiv(s.OutHeight, TileRows) * tilesAcross;
        int plane = Grid.IdxX / tilesPerPlane, tile = Grid.IdxX - (plane * tilesPerPlane);
        int c = plane % s.Channels;
        int oh0 = tile / tilesAcross * TileRows, ow0 = tile % tilesAcross * TileColumns;

        int pitch = LoadInputWindow(x, scale, shift, window, plane, c, oh0, ow0, s, reluInput, prologue);
        Group.Barrier();

        int ty = Group.IdxX / TileColumns, tx = Group.IdxX - (ty * TileColumns);
        int oh = oh0 + ty, ow = ow0 + tx;
        if (oh < s.OutHeight && ow < s.OutWidth)
        {
            int taps = s.Kernel * s.Kernel;
            int origin = (ty * s.Stride * pitch) + (tx * s.Stride);
            float acc = 0f;
            // Taps in row-major order with one rounding each, as the CPU kernel sums them.
            for (int kh = 0; kh < s.Kernel; kh++)
            {
                for (int kw = 0; kw < s.Kernel; kw++)
                {
                    acc = DeviceMath.Fma(window[origin + (kh * pitch) + kw], weight[(c * taps) + (kh * s.Kernel) + kw], acc);
                }
            }

            y[((long)plane * s.OutHeight * s.OutWidth) + (oh * s.OutWidth) + ow] = acc;
        }
    }

    /// <summary>
    /// dx (= or +=) the transposed convolution of dy, masked by f(x) &gt; 0 when <paramref name="reluInput"/>. As on
    /// the CPU, dx is the gradient of the prologue's output (f before the ReLU): the folded batch norm's backward
    /// takes it from there. x, scale and shift are read only for the mask (empty views when it is off).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> x, ArrayView<float> scale,
        ArrayView<float> shift, ArrayView<float> dx, int n, DepthwiseShape s, bool reluInput, bool prologue, bool accumulate)
    {
        ArrayView<float> window = SharedMemory.Allocate<float>(GradientWindowFloats);
        int tilesAcross = DeviceMath.CeilDiv(s.InWidth, TileColumns);
        int tilesPerPlane = DeviceMath.CeilDiv(s.InHeight, TileRows) * tilesAcross;
        int plane = Grid.IdxX / tilesPerPlane, tile = Grid.IdxX - (plane * tilesPerPlane);
        int c = plane % s.Channels;
        int ih0 = tile / tilesAcross * TileRows, iw0 = tile % tilesAcross * TileColumns;

        // Output (oh, ow) reaches input rows oh * stride - PadTop + kh: the tile's rows need oh from dyTop on, and
        // dyRows rows of dy cover every tile alignment; cells outside dy load as zeros.
        int dyTop = DeviceMath.FloorDiv(ih0 + s.PadTop - (s.Kernel - 1), s.Stride);
        int dyLeft = DeviceMath.FloorDiv(iw0 + s.PadLeft - (s.Kernel - 1), s.Stride);
        int dyRows = DeviceMath.CeilDiv(TileRows + s.Kernel - 2, s.Stride) + 1;
        int dyColumns = DeviceMath.CeilDiv(TileColumns + s.Kernel - 2, s.Stride) + 1;
        long dyPlane = (long)plane * s.OutHeight * s.OutWidth;
        for (int e = Group.IdxX; e < dyRows * dyColumns; e += GroupSize)
        {
            int r = e / dyColumns;
            int oh = dyTop + r, ow = dyLeft + (e - (r * dyColumns));
            window[e] = oh >= 0 && oh < s.OutHeight && ow >= 0 && ow < s.OutWidth ? dy[dyPlane + (oh * s.OutWidth) + ow] : 0f;
        }

        Group.Barrier();

        int ty = Group.IdxX / TileColumns, tx = Group.IdxX - (ty * TileColumns);
        int ih = ih0 + ty, iw = iw0 + tx;
        if (ih < s.InHeight && iw < s.InWidth)
        {
            int taps = s.Kernel * s.Kernel;
            float acc = 0f;
            for (int kh = 0; kh < s.Kernel; kh++)
            {
                // Offset of the output row, in input rows, from the window's first row; never negative.
                int down = ih + s.PadTop - kh - (dyTop * s.Stride);
                if (down % s.Stride != 0)
                {
                    continue;
                }

                for (int kw = 0; kw < s.Kernel; kw++)
                {
                    int across = iw + s.PadLeft - kw - (dyLeft * s.Stride);
                    if (across % s.Stride == 0)
                    {
                        acc = DeviceMath.Fma(weight[(c * taps) + (kh * s.Kernel) + kw], window[(down / s.Stride * dyColumns) + (across / s.Stride)], acc);
                    }
                }
            }

            long index = ((long)plane * s.InHeight * s.InWidth) + (ih * s.InWidth) + iw;
            if (reluInput && !(Prologue(x[index], scale, shift, c, prologue) > 0f))
            {
                acc = 0f;
            }

            dx[index] = accumulate ? dx[index] + acc : acc;
        }
    }

    /// <summary>
    /// dWeight += the correlation of dy with f(x), summed over the n images. A group takes one channel and a share of
    /// the batch's output tiles, staging each tile's input window and dy in shared memory. Thread j owns tap
    /// j % taps and every (256 / taps)-th position of the tile from j / taps on, and keeps its sum in a register
    /// across all the group's tiles: no cross-thread reduction per tile (per-tap warp shuffles cost 5 x taps shuffles
    /// per tile), one at the end, then one atomic per tap and group.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardWeights(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift,
        ArrayView<float> dWeight, int n, DepthwiseShape s, bool reluInput, bool prologue)
    {
        ArrayView<float> window = SharedMemory.Allocate<float>(InputWindowFloats);
        ArrayView<float> gradient = SharedMemory.Allocate<float>(GroupSize);
        int taps = s.Kernel * s.Kernel;
        int tilesAcross = DeviceMath.CeilDiv(s.OutWidth, TileColumns);
        int tilesPerPlane = DeviceMath.CeilDiv(s.OutHeight, TileRows) * tilesAcross;
        int slices = WeightSlices(n, tilesPerPlane);
        int c = Grid.IdxX / slices, slice = Grid.IdxX - (c * slices);

        int parts = GroupSize / taps;
        int part = Group.IdxX / taps, tap = Group.IdxX - (part * taps);
        int kh = tap / s.Kernel, kw = tap - (kh * s.Kernel);
        int ty = Group.IdxX / TileColumns, tx = Group.IdxX - (ty * TileColumns);
        float acc = 0f;
        for (int item = slice; item < n * tilesPerPlane; item += slices)
        {
            int image = item / tilesPerPlane, tile = item - (image * tilesPerPlane);
            int plane = (image * s.Channels) + c;
            int oh0 = tile / tilesAcross * TileRows, ow0 = tile % tilesAcross * TileColumns;
            // The previous tile's reads are done before its window and dy are overwritten.
            Group.Barrier();
            int pitch = LoadInputWindow(x, scale, shift, window, plane, c, oh0, ow0, s, reluInput, prologue);
            int oh = oh0 + ty, ow = ow0 + tx;
            gradient[Group.IdxX] = oh < s.OutHeight && ow < s.OutWidth ? dy[((long)plane * s.OutHeight * s.OutWidth) + (oh * s.OutWidth) + ow] : 0f;
            Group.Barrier();

            if (part < parts)
            {
                for (int p = part; p < GroupSize; p += parts)
                {
                    int row = p / TileColumns, column = p - (row * TileColumns);
                    acc = DeviceMath.Fma(gradient[p], window[(((row * s.Stride) + kh) * pitch) + (column * s.Stride) + kw], acc);
                }
            }
        }

        // Reuse the dy tile for the threads' sums: thread part * taps + tap holds its partial of that tap.
        Group.Barrier();
        gradient[Group.IdxX] = acc;
        Group.Barrier();
        if (Group.IdxX < taps)
        {
            float total = 0f;
            for (int q = 0; q < parts; q++)
            {
                total += gradient[(q * taps) + Group.IdxX];
            }

            Atomic.Add(ref dWeight[(c * taps) + Group.IdxX], total);
        }
    }

    /// <summary>One group per output tile of every (image, channel) plane.</summary>
    public static KernelConfig ForwardConfig(int n, DepthwiseShape s) =>
        Config(Planes(n, s) * OutputTiles(s));

    /// <summary>One group per input tile of every (image, channel) plane.</summary>
    public static KernelConfig BackwardDataConfig(int n, DepthwiseShape s) =>
        Config(Planes(n, s) * DeviceMath.CeilDiv(s.InHeight, TileRows) * DeviceMath.CeilDiv(s.InWidth, TileColumns));

    /// <summary>Up to 16 groups per channel, each over its share of the batch's output tiles.</summary>
    public static KernelConfig BackwardWeightsConfig(int n, DepthwiseShape s)
    {
        Check(s);
        return Config((long)s.Channels * WeightSlices(n, OutputTiles(s)));
    }

    private static long Planes(int n, DepthwiseShape s)
    {
        Check(s);
        return (long)n * s.Channels;
    }

    private static int OutputTiles(DepthwiseShape s) =>
        DeviceMath.CeilDiv(s.OutHeight, TileRows) * DeviceMath.CeilDiv(s.OutWidth, TileColumns);

    private static KernelConfig Config(long groups) =>
        groups is > 0 and <= int.MaxValue
            ? new KernelConfig(new Index1D((int)groups), new Index1D(GroupSize))
            : throw new ArgumentOutOfRangeException(nameof(groups), groups, "depthwise launch needs 1 to 2^31 - 1 groups");

    // The shared-memory windows are sized for these limits; the host checks them before any launch.
    private static void Check(DepthwiseShape s)
    {
        if (s.Kernel is < 1 or > MaxKernel || s.Stride is < 1 or > MaxStride)
        {
            throw new NotSupportedException($"GPU depthwise supports kernels 1 to {MaxKernel} and strides 1 to {MaxStride}, not {s}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WeightSlices(int n, int tilesPerPlane) => Math.Max(1, Math.Min(n * tilesPerPlane, MaxWeightSlices));

    // f(v) before the ReLU: the folded batch norm, one rounding as on the CPU.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Prologue(float v, ArrayView<float> scale, ArrayView<float> shift, int c, bool prologue) =>
        prologue ? DeviceMath.Fma(v, scale[c], shift[c]) : v;

    // Stages f(x) for the input window of the output tile at (oh0, ow0) of plane; returns the window's row pitch.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LoadInputWindow(ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> window,
        int plane, int c, int oh0, int ow0, DepthwiseShape s, bool reluInput, bool prologue)
    {
        int rows = ((TileRows - 1) * s.Stride) + s.Kernel, columns = ((TileColumns - 1) * s.Stride) + s.Kernel;
        int ih0 = (oh0 * s.Stride) - s.PadTop, iw0 = (ow0 * s.Stride) - s.PadLeft;
        long planeStart = (long)plane * s.InHeight * s.InWidth;
        for (int e = Group.IdxX; e < rows * columns; e += GroupSize)
        {
            int r = e / columns;
            int ih = ih0 + r, iw = iw0 + (e - (r * columns));
            float v = 0f;
            if (ih >= 0 && ih < s.InHeight && iw >= 0 && iw < s.InWidth)
            {
                v = Prologue(x[planeStart + (ih * s.InWidth) + iw], scale, shift, c, prologue);
                v = reluInput ? MathF.Max(v, 0f) : v;
            }

            window[e] = v;
        }

        return columns;
    }
}
