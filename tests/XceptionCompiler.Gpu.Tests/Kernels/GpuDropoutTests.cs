using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// <see cref="GpuDropout"/> on the CPU accelerator must drop exactly the elements the CPU <see cref="Dropout"/> drops
/// (the mask is a function of seed and element index only) and produce its values bit for bit, forward and backward.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed unsafe class GpuDropoutTests(CpuAccelerator device)
{
    private const int N = 3;
    private const int PerImage = 1000;
    private const int Count = N * PerImage;
    private const float Rate = 0.3f;
    private const ulong Seed = 0x5EED_1234_ABCDUL;

    private static void Forward(ArrayView<float> x, ArrayView<float> y, int n) => GpuDropout.Forward(x, y, n, 1000, 0.3f, 0x5EED_1234_ABCDUL);

    private static void Backward(ArrayView<float> dy, ArrayView<float> dx, int n) => GpuDropout.Backward(dy, dx, n, 1000, 0.3f, 0x5EED_1234_ABCDUL, accumulate: false);

    private static void BackwardAccumulate(ArrayView<float> dy, ArrayView<float> dx, int n) =>
        GpuDropout.Backward(dy, dx, n, 1000, 0.3f, 0x5EED_1234_ABCDUL, accumulate: true);

    [Fact]
    public void MaskIsTheCpuMaskBitForBit()
    {
        float[] ones = Enumerable.Repeat(1f, Count).ToArray();
        float[] y = Run(Forward, ones, new float[Count], GpuDropout.ForwardConfig(N, PerImage));
        int kept = 0;
        for (int i = 0; i < Count; i++)
        {
            bool gpuKeeps = y[i] != 0f;
            Assert.True(gpuKeeps == Dropout.Keeps(Seed, i, Rate), $"element {i}: the GPU {(gpuKeeps ? "keeps" : "drops")} it, the CPU does not");
            kept += gpuKeeps ? 1 : 0;
        }

        // The mask is not degenerate: about 70% kept.
        Assert.InRange(kept, (int)(0.65 * Count), (int)(0.75 * Count));
    }

    [Fact]
    public void ForwardEqualsCpuBitForBit()
    {
        float[] x = TensorRandom.Uniform(Count, 61);
        float[] cpu = new float[Count], expected = new float[Count];
        fixed (float* px = x, py = cpu)
        {
            Dropout.Forward(px, py, Count, Rate, Seed);
        }

        NaiveOps.DropoutForward<float>(x, expected, Rate, Seed);
        float[] actual = Run(Forward, x, new float[Count], GpuDropout.ForwardConfig(N, PerImage));
        TensorAssert.Identical("forward against the CPU kernel", cpu, actual);
        TensorAssert.MaxAbsRelative("forward against the naive op", expected, actual, 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardEqualsCpuBitForBit(bool accumulate)
    {
        float[] gradient = TensorRandom.Uniform(Count, 62), initial = TensorRandom.Uniform(Count, 63);
        float[] cpu = (float[])initial.Clone(), expected = (float[])initial.Clone();
        fixed (float* pdy = gradient, pdx = cpu)
        {
            Dropout.Backward(pdy, pdx, Count, Rate, Seed, accumulate);
        }

        NaiveOps.DropoutBackward<float>(gradient, expected, Rate, Seed, accumulate);
        float[] actual = Run(accumulate ? BackwardAccumulate : Backward, gradient, initial, GpuDropout.BackwardConfig(N, PerImage));
        TensorAssert.Identical("gradient against the CPU kernel", cpu, actual);
        TensorAssert.MaxAbsRelative("gradient against the naive op", expected, actual, 1e-6);
    }

    private float[] Run(Action<ArrayView<float>, ArrayView<float>, int> kernel, float[] source, float[] destination, KernelConfig config)
    {
        using var s = device.Upload(source);
        using var d = device.Upload(destination);
        device.Accelerator.LoadStreamKernel(kernel)(config, s.View, d.View, N);
        return device.Download(d);
    }
}
