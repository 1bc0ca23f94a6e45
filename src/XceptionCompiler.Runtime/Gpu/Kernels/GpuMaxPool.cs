using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// K x K max pooling (the GPU side of the CPU <see cref="MaxPool"/>); padded cells never win. One thread per output in
/// the forward pass. The backward pass is a deterministic gather, one thread per input cell: it visits the windows
/// that cover the cell in row-major output order, recomputes each one's first maximum (the CPU's and PyTorch's tie
/// rule), and adds the dy of those it wins, starting from dx when accumulating: the same additions in the same order
/// as the CPU kernel, without atomics, even where windows overlap (k 3, stride 2).
/// </summary>
public static class GpuMaxPool
{
    /// <summary>y = max over each window (+ residual[same index] when <paramref name="hasResidual"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> x, ArrayView<float> residual, ArrayView<float> y, int n, PoolShape s, bool hasResidual)
    {
        int outPlane = s.OutHeight * s.OutWidth;
        long count = (long)n * s.Channels * outPlane;
        for (long o = ElementGrid.First(); o < count; o += ElementGrid.Stride())
        {
            long plane = o / outPlane;
            int within = (int)(o - (plane * outPlane));
            int oh = within / s.OutWidth, ow = within - (oh * s.OutWidth);
            long planeStart = plane * s.InHeight * s.InWidth;
            float max = x[planeStart + FirstMaximum(x, planeStart, s, oh, ow)];
            y[o] = hasResidual ? max + residual[o] : max;
        }
    }

    /// <summary>dx (= or +=) dy routed to each window's first maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dx, int n, PoolShape s, bool accumulate)
    {
        int inPlane = s.InHeight * s.InWidth;
        long count = (long)n * s.Channels * inPlane;
        for (long i = ElementGrid.First(); i < count; i += ElementGrid.Stride())
        {
            long plane = i / inPlane;
            int cell = (int)(i - (plane * inPlane));
            int ih = cell / s.InWidth, iw = cell - (ih * s.InWidth);
            // The outputs whose windows cover (ih, iw): oh * stride - PadTop <= ih <= oh * stride - PadTop + K - 1.
            int ohFirst = Math.Max(0, -DeviceMath.FloorDiv(s.Kernel - 1 - ih - s.PadTop, s.Stride));
            int ohLast = Math.Min(s.OutHeight - 1, DeviceMath.FloorDiv(ih + s.PadTop, s.Stride));
            int owFirst = Math.Max(0, -DeviceMath.FloorDiv(s.Kernel - 1 - iw - s.PadLeft, s.Stride));
            int owLast = Math.Min(s.OutWidth - 1, DeviceMath.FloorDiv(iw + s.PadLeft, s.Stride));
            long planeStart = plane * inPlane;
            long dyStart = plane * s.OutHeight * s.OutWidth;
            float sum = accumulate ? dx[i] : 0f;
            for (int oh = ohFirst; oh <= ohLast; oh++)
            {
                for (int ow = owFirst; ow <= owLast; ow++)
                {
                    if (FirstMaximum(x, planeStart, s, oh, ow) == cell)
                    {
                        sum += dy[dyStart + (oh * s.OutWidth) + ow];
                    }
                }
            }

            dx[i] = sum;
        }
    }

    public static KernelConfig ForwardConfig(int n, PoolShape s) => ElementGrid.Config((long)n * s.Channels * s.OutHeight * s.OutWidth);

    public static KernelConfig BackwardConfig(int n, PoolShape s) => ElementGrid.Config((long)n * s.Channels * s.InHeight * s.InWidth);

    // Index in the plane of the first maximum of window (oh, ow) in row-major order: it starts at the window's first
    // cell inside the input and moves only on a strictly greater value, as the CPU kernel's ArgMax does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FirstMaximum(ArrayView<float> x, long planeStart, PoolShape s, int oh, int ow)
    {
        int h0 = (oh * s.Stride) - s.PadTop, w0 = (ow * s.Stride) - s.PadLeft;
        int hLo = Math.Max(h0, 0), hHi = Math.Min(h0 + s.Kernel, s.InHeight);
        int wLo = Math.Max(w0, 0), wHi = Math.Min(w0 + s.Kernel, s.InWidth);
        int best = (hLo * s.InWidth) + wLo;
        float bestValue = x[planeStart + best];
        for (int ih = hLo; ih < hHi; ih++)
        {
            for (int iw = wLo; iw < wHi; iw++)
            {
                int index = (ih * s.InWidth) + iw;
                float value = x[planeStart + index];
                if (value > bestValue)
                {
                    bestValue = value;
                    best = index;
                }
            }
        }

        return best;
    }
}
