using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// <see cref="GpuGlobalAvgPool"/> on the CPU accelerator against the naive op: planes longer than a warp and not a
/// multiple of it, planes shorter than a warp, and plane counts that leave a group's last warps idle.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuGlobalAvgPoolTests(CpuAccelerator device)
{
    private static void LongForward(ArrayView<float> x, ArrayView<float> y, int n) => GpuGlobalAvgPool.Forward(x, y, n, 3, 100);

    private static void ShortForward(ArrayView<float> x, ArrayView<float> y, int n) => GpuGlobalAvgPool.Forward(x, y, n, 5, 7);

    private static void LongBackward(ArrayView<float> dy, ArrayView<float> dx, int n) => GpuGlobalAvgPool.Backward(dy, dx, n, 3, 100, accumulate: true);

    private static void ShortBackward(ArrayView<float> dy, ArrayView<float> dx, int n) => GpuGlobalAvgPool.Backward(dy, dx, n, 5, 7, accumulate: false);

    [Theory]
    [InlineData(3, 100, 3)]
    [InlineData(5, 7, 1)]
    [InlineData(5, 7, 3)]
    public void ForwardMatchesNaive(int channels, int spatial, int n)
    {
        float[] x = TensorRandom.Uniform(n * channels * spatial, 41);
        float[] expected = new float[n * channels];
        NaiveOps.GlobalAvgPoolForward<float>(x, expected, n, channels, spatial);

        using var dx = device.Upload(x);
        using var dy = device.Zeros(n * channels);
        Action<ArrayView<float>, ArrayView<float>, int> kernel = spatial == 100 ? LongForward : ShortForward;
        device.Accelerator.LoadStreamKernel(kernel)(GpuGlobalAvgPool.ForwardConfig(n, channels, spatial), dx.View, dy.View, n);

        TensorAssert.MaxAbsRelative("means", expected, device.Download(dy), 1e-5, [n, channels]);
    }

    [Theory]
    [InlineData(3, 100, 3, true)]
    [InlineData(5, 7, 1, false)]
    public void BackwardMatchesNaive(int channels, int spatial, int n, bool accumulate)
    {
        float[] gradient = TensorRandom.Uniform(n * channels, 42);
        float[] initial = TensorRandom.Uniform(n * channels * spatial, 43);
        float[] expected = (float[])initial.Clone();
        NaiveOps.GlobalAvgPoolBackward<float>(gradient, expected, n, channels, spatial, accumulate);

        using var dy = device.Upload(gradient);
        using var dx = device.Upload(initial);
        Action<ArrayView<float>, ArrayView<float>, int> kernel = spatial == 100 ? LongBackward : ShortBackward;
        device.Accelerator.LoadStreamKernel(kernel)(GpuGlobalAvgPool.BackwardConfig(n, channels, spatial), dy.View, dx.View, n);

        TensorAssert.MaxAbsRelative("gradient", expected, device.Download(dx), 1e-6, [n, channels, spatial]);
    }
}
