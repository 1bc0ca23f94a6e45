using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>A per-channel bias on an NCHW tensor (a convolution declared with bias=true); Kernels/ChannelBias.cs.</summary>
public static class GpuChannelBias
{
    private const int GroupSize = 256;

    // Forward groups stride over the tensor; this many are enough to fill a GPU.
    private const int MaxForwardGroups = 4096;

    /// <summary>y[i, c, :] += b[c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> y, ArrayView<float> bias, int n, int channels, int spatial)
    {
        int total = n * channels * spatial;
        for (int index = Grid.GlobalIndex.X; index < total; index += Grid.DimX * Group.DimX)
        {
            y[index] += bias[index / spatial % channels];
        }
    }

    /// <summary>The launch of <see cref="Forward"/>.</summary>
    public static KernelConfig ForwardConfig(int n, int channels, int spatial)
    {
        int groups = Math.Clamp((n * channels * spatial + GroupSize - 1) / GroupSize, 1, MaxForwardGroups);
        return new KernelConfig(groups, GroupSize);
    }

    /// <summary>db[c] += the sum over the batch and space of dy[i, c, :]: one group per channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward(ArrayView<float> dy, ArrayView<float> dBias, int n, int channels, int spatial)
    {
        int channel = Grid.IdxX;
        float sum = 0f;
        for (int index = Group.IdxX; index < n * spatial; index += Group.DimX)
        {
            int image = index / spatial;
            sum += dy[(image * channels + channel) * spatial + (index - image * spatial)];
        }

        sum = GroupSum.Sum(sum);
        if (Group.IdxX == 0)
        {
            dBias[channel] += sum;
        }
    }

    /// <summary>The launch of <see cref="Backward"/>.</summary>
    public static KernelConfig BackwardConfig(int n, int channels, int spatial) => new(Math.Max(1, channels), GroupSize);
}
