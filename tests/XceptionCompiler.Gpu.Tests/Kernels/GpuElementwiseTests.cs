using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// <see cref="GpuActivation"/> and <see cref="GpuElementwise"/> on the CPU accelerator against the naive ops, over
/// 3 images of 1000 floats (not a multiple of the group size), overwriting and accumulating; and with a grid smaller
/// than the tensor, so threads stride over several elements.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuElementwiseTests(CpuAccelerator device)
{
    private const int N = 3;
    private const int PerImage = 1000;
    private const int Count = N * PerImage;

    private static void ReluForward(ArrayView<float> x, ArrayView<float> y, int n) => GpuActivation.ReluForward(x, y, n, 1000);

    private static void ReluBackward(ArrayView<float> dy, ArrayView<float> y, ArrayView<float> dx, int n) =>
        GpuActivation.ReluBackward(dy, y, dx, n, 1000, accumulate: false);

    private static void ReluBackwardAccumulate(ArrayView<float> dy, ArrayView<float> y, ArrayView<float> dx, int n) =>
        GpuActivation.ReluBackward(dy, y, dx, n, 1000, accumulate: true);

    private static void Add(ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, int n) => GpuElementwise.Add(a, b, y, n, 1000);

    private static void Copy(ArrayView<float> source, ArrayView<float> destination, int n) =>
        GpuElementwise.Copy(source, destination, n, 1000, accumulate: false);

    private static void CopyAccumulate(ArrayView<float> source, ArrayView<float> destination, int n) =>
        GpuElementwise.Copy(source, destination, n, 1000, accumulate: true);

    [Fact]
    public void ReluForwardMatchesNaive()
    {
        float[] x = TensorRandom.Uniform(Count, 51);
        float[] expected = new float[Count];
        NaiveOps.ReluForward<float>(x, expected);
        using var dx = device.Upload(x);
        using var dy = device.Zeros(Count);
        device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(ReluForward)(GpuActivation.ReluForwardConfig(N, PerImage), dx.View, dy.View, N);
        TensorAssert.Identical("relu", expected, device.Download(dy));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReluBackwardMatchesNaive(bool accumulate)
    {
        float[] gradient = TensorRandom.Uniform(Count, 52), output = TensorRandom.Uniform(Count, 53, -1, 1), initial = TensorRandom.Uniform(Count, 54);
        float[] expected = (float[])initial.Clone();
        NaiveOps.ReluBackward<float>(gradient, output, expected, accumulate);
        using var dy = device.Upload(gradient);
        using var y = device.Upload(output);
        using var dx = device.Upload(initial);
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, int> kernel = accumulate ? ReluBackwardAccumulate : ReluBackward;
        device.Accelerator.LoadStreamKernel(kernel)(GpuActivation.ReluBackwardConfig(N, PerImage), dy.View, y.View, dx.View, N);
        TensorAssert.Identical("relu gradient", expected, device.Download(dx));
    }

    [Fact]
    public void AddMatchesNaive()
    {
        float[] a = TensorRandom.Uniform(Count, 55), b = TensorRandom.Uniform(Count, 56);
        float[] expected = new float[Count];
        NaiveOps.Add<float>(a, b, expected);
        using var da = device.Upload(a);
        using var db = device.Upload(b);
        using var dy = device.Zeros(Count);
        device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(Add)(GpuElementwise.AddConfig(N, PerImage), da.View, db.View, dy.View, N);
        TensorAssert.Identical("sum", expected, device.Download(dy));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CopyMatchesNaive(bool accumulate)
    {
        float[] source = TensorRandom.Uniform(Count, 57), initial = TensorRandom.Uniform(Count, 58);
        float[] expected = (float[])initial.Clone();
        NaiveOps.Copy<float>(source, expected, accumulate);
        using var ds = device.Upload(source);
        using var dd = device.Upload(initial);
        Action<ArrayView<float>, ArrayView<float>, int> kernel = accumulate ? CopyAccumulate : Copy;
        device.Accelerator.LoadStreamKernel(kernel)(GpuElementwise.CopyConfig(N, PerImage), ds.View, dd.View, N);
        TensorAssert.Identical("copy", expected, device.Download(dd));
    }

    [Fact]
    public void ThreadsStrideOverTensorsLargerThanTheGrid()
    {
        float[] a = TensorRandom.Uniform(Count, 59), b = TensorRandom.Uniform(Count, 60);
        float[] expected = new float[Count];
        NaiveOps.Add<float>(a, b, expected);
        using var da = device.Upload(a);
        using var db = device.Upload(b);
        using var dy = device.Zeros(Count);
        // Two groups of 256 threads for 3000 elements: each thread adds about six.
        var small = new KernelConfig(new Index1D(2), new Index1D(ElementGrid.GroupSize));
        device.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(Add)(small, da.View, db.View, dy.View, N);
        TensorAssert.Identical("sum over a small grid", expected, device.Download(dy));
    }
}
