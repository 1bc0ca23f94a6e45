using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Mean over each spatial plane, x [n, C, spatial] to y [n, C] (the GPU side of the CPU
/// <see cref="Runtime.Kernels.GlobalAvgPool"/>). The forward pass gives each plane one warp: lanes stride over the
/// plane (coalesced), then a shuffle reduction; the backward pass is a flat broadcast.
/// </summary>
public static class GpuGlobalAvgPool
{
    /// <summary>Threads per group of the forward pass: 8 warps, 8 planes.</summary>
    public const int GroupSize = 256;

    /// <summary>y[n, c] = mean of plane (n, c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> x, ArrayView<float> y, int n, int channels, int spatial)
    {
        int planesPerGroup = Group.DimX / Warp.WarpSize;
        int plane = (Grid.IdxX * planesPerGroup) + Warp.WarpIdx;
        // Uniform across the warp, so the shuffles below see every lane.
        if (plane >= n * channels)
        {
            return;
        }

        long start = (long)plane * spatial;
        float sum = 0f;
        for (int p = Warp.LaneIdx; p < spatial; p += Warp.WarpSize)
        {
            sum += x[start + p];
        }

        sum = GroupSum.Warp(sum);
        if (Warp.IsFirstLane)
        {
            y[plane] = sum / spatial;
        }
    }

    /// <summary>dx[n, c, :] (= or +=) dy[n, c] / spatial.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward(ArrayView<float> dy, ArrayView<float> dx, int n, int channels, int spatial, bool accumulate)
    {
        long count = (long)n * channels * spatial;
        for (long i = ElementGrid.First(); i < count; i += ElementGrid.Stride())
        {
            float g = dy[i / spatial] / spatial;
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary>One warp per plane; assumes 32-lane warps (NVIDIA, and the CPU accelerator the tests use).</summary>
    public static KernelConfig ForwardConfig(int n, int channels, int spatial) =>
        new(new Index1D(Math.Max(1, DeviceMath.CeilDiv(n * channels, GroupSize / 32))), new Index1D(GroupSize));

    public static KernelConfig BackwardConfig(int n, int channels, int spatial) => ElementGrid.Config((long)n * channels * spatial);
}
