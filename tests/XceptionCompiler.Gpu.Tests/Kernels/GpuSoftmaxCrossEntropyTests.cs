using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Training;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary><see cref="GpuSoftmaxCrossEntropy"/> on the CPU accelerator against <see cref="SoftmaxCrossEntropy"/> and <see cref="TopK"/>.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuSoftmaxCrossEntropyTests(CpuAccelerator fixture)
{
    private static void Loss(ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> losses, ArrayView<float> gradient,
        ArrayView<float> top1, ArrayView<float> top5, int n, int classes, float labelSmoothing, float gradientScale) =>
        GpuSoftmaxCrossEntropy.Compute(logits, labels, losses, gradient, top1, top5, n, classes, labelSmoothing, gradientScale);

    // The generator's form: 10 classes, smoothing 0.1 and the scale are constants.
    private static void Generated_Loss(ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> losses, ArrayView<float> gradient,
        ArrayView<float> top1, ArrayView<float> top5, int n) =>
        GpuSoftmaxCrossEntropy.Compute(logits, labels, losses, gradient, top1, top5, n, 10, 0.1f, 1f);

    [Theory]
    [InlineData(1, 10, 0f, 1f, false)]
    [InlineData(5, 10, 0.1f, 0.5f, false)]
    [InlineData(3, 1000, 0.1f, 1f, false)]
    [InlineData(9, 37, 0f, 0.25f, true)]
    public void MatchesCpuLossGradientAndTopK(int n, int classes, float labelSmoothing, float gradientScale, bool ties)
    {
        float[] logits = ties ? TensorRandom.Integers(n * classes, seed: classes, levels: 4) : TensorRandom.Uniform(n * classes, seed: classes, -8, 8);
        var random = new Random(n);
        int[] labels = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
        float[] gradient = new float[logits.Length];
        double meanLoss = SoftmaxCrossEntropy.Compute(logits, labels, n, classes, labelSmoothing, gradient, gradientScale);

        (float[] losses, float[] gpuGradient, float[] top1, float[] top5) = Run(logits, labels, n, classes, labelSmoothing, gradientScale);

        Assert.InRange(Math.Abs(losses.Sum(l => (double)l) / n - meanLoss), 0, 1e-6 * Math.Abs(meanLoss));
        TensorAssert.MaxAbsRelative("gradient", gradient, gpuGradient, 1e-6);
        float[] scratch = new float[classes];
        for (int row = 0; row < n; row++)
        {
            double rowLoss = SoftmaxCrossEntropy.Compute(logits.AsSpan(row * classes, classes), labels.AsSpan(row, 1), 1, classes, labelSmoothing, scratch);
            Assert.InRange(Math.Abs(losses[row] - rowLoss), 0, 1e-6 * Math.Abs(rowLoss));
            ReadOnlySpan<float> values = logits.AsSpan(row * classes, classes);
            Assert.Equal(TopK.Contains(values, labels[row], 1) ? 1f : 0f, top1[row]);
            Assert.Equal(TopK.Contains(values, labels[row], 5) ? 1f : 0f, top5[row]);
        }

        // Not vacuous: the top-k cases see both hits and misses over the theory.
        if (ties)
        {
            Assert.Contains(0f, top1);
            Assert.Contains(1f, top5);
        }
    }

    [Fact]
    public void LabelOutsideTheClassesGivesNaNLoss()
    {
        (float[] losses, _, float[] top1, float[] top5) = Run(TensorRandom.Uniform(20, seed: 1), [3, 10], 2, 10, 0f, 1f);
        Assert.False(float.IsNaN(losses[0]));
        Assert.True(float.IsNaN(losses[1]));
        Assert.Equal(0f, top1[1]);
        Assert.Equal(0f, top5[1]);
    }

    [Fact]
    public void GeneratedFormMatchesCpuAndCompilesToPtxWithoutLibDevice()
    {
        const int n = 4, classes = 10;
        float[] logits = TensorRandom.Uniform(n * classes, seed: 5, -4, 4);
        int[] labels = [0, 9, 3, 3];
        float[] gradient = new float[logits.Length];
        double meanLoss = SoftmaxCrossEntropy.Compute(logits, labels, n, classes, 0.1f, gradient);
        Accelerator accelerator = fixture.Accelerator;
        using var gpuLogits = fixture.Upload(logits);
        using var gpuLabels = accelerator.Allocate1D(labels);
        using var losses = fixture.Zeros(n);
        using var gpuGradient = fixture.Zeros(logits.Length);
        using var top1 = fixture.Zeros(n);
        using var top5 = fixture.Zeros(n);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(Generated_Loss)(
            GpuSoftmaxCrossEntropy.ComputeConfig(n, classes), gpuLogits.View, gpuLabels.View, losses.View, gpuGradient.View, top1.View, top5.View, n);

        Assert.InRange(Math.Abs(fixture.Download(losses).Sum(l => (double)l) / n - meanLoss), 0, 1e-6 * meanLoss);
        TensorAssert.MaxAbsRelative("gradient", gradient, fixture.Download(gpuGradient), 1e-6);
        Assert.Contains(".entry", PtxCompiler.Compile(typeof(GpuSoftmaxCrossEntropyTests), nameof(Generated_Loss)), StringComparison.Ordinal);
    }

    private (float[] Losses, float[] Gradient, float[] Top1, float[] Top5) Run(float[] logits, int[] labels, int n, int classes,
        float labelSmoothing, float gradientScale)
    {
        Accelerator accelerator = fixture.Accelerator;
        using var gpuLogits = fixture.Upload(logits);
        using var gpuLabels = accelerator.Allocate1D(labels);
        using var losses = fixture.Zeros(n);
        using var gradient = fixture.Zeros(logits.Length);
        using var top1 = fixture.Zeros(n);
        using var top5 = fixture.Zeros(n);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, float>(Loss)(
            GpuSoftmaxCrossEntropy.ComputeConfig(n, classes), gpuLogits.View, gpuLabels.View, losses.View, gradient.View, top1.View, top5.View,
            n, classes, labelSmoothing, gradientScale);
        return (fixture.Download(losses), fixture.Download(gradient), fixture.Download(top1), fixture.Download(top5));
    }
}
