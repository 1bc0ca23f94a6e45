using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// <see cref="GpuBatchNorm"/> on the CPU accelerator against the CPU <see cref="BatchNorm"/> and the naive reference:
/// every operation, with and without residual, ReLU and accumulation, over shapes that are not warp multiples and
/// one split into several parts per channel. Kernels take the shape as arguments so one compiled kernel serves every
/// case; <see cref="GeneratedFormMatchesCpu"/> checks the generator's form, with the shape as constants.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed unsafe class GpuBatchNormTests(CpuAccelerator fixture)
{
    private const float Eps = 1e-3f, Momentum = 0.1f;
    private const int Relu = 1, Residual = 2, AccumulateResidual = 4, AccumulateInput = 8;

    private readonly Accelerator accelerator = fixture.Accelerator;

    private static void Partials(ArrayView<float> x, ArrayView<float> partials, int n, int channels, int spatial) =>
        GpuBatchNorm.StatisticsPartials(x, partials, n, channels, spatial);

    private static void Statistics(ArrayView<float> partials, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> runningMean,
        ArrayView<float> runningVar, ArrayView<float> savedMean, ArrayView<float> savedInvStd, ArrayView<float> scale, ArrayView<float> shift,
        int n, int channels, int spatial) =>
        GpuBatchNorm.Statistics(partials, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, scale, shift, n, channels, spatial, Eps, Momentum);

    private static void Apply(ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> residual,
        ArrayView<float> y, int n, int channels, int spatial, int flags) =>
        GpuBatchNorm.Apply(x, scale, shift, residual, y, n, channels, spatial, (flags & Residual) != 0, (flags & Relu) != 0);

    private static void EvalAffine(ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> runningMean, ArrayView<float> runningVar,
        ArrayView<float> scale, ArrayView<float> shift, int channels) =>
        GpuBatchNorm.EvalAffine(gamma, beta, runningMean, runningVar, scale, shift, channels, Eps);

    private static void BackwardPartials(ArrayView<float> dy, ArrayView<float> y, ArrayView<float> x, ArrayView<float> savedMean,
        ArrayView<float> partials, int n, int channels, int spatial, int flags) =>
        GpuBatchNorm.BackwardPartials(dy, y, x, savedMean, partials, n, channels, spatial, (flags & Relu) != 0);

    private static void BackwardSums(ArrayView<float> partials, ArrayView<float> gamma, ArrayView<float> savedInvStd, ArrayView<float> dGamma,
        ArrayView<float> dBeta, ArrayView<float> coefficients, int n, int channels, int spatial) =>
        GpuBatchNorm.BackwardSums(partials, gamma, savedInvStd, dGamma, dBeta, coefficients, n, channels, spatial);

    private static void BackwardApply(ArrayView<float> dy, ArrayView<float> y, ArrayView<float> x, ArrayView<float> savedMean,
        ArrayView<float> coefficients, ArrayView<float> dx, ArrayView<float> dResidual, int n, int channels, int spatial, int flags) =>
        GpuBatchNorm.BackwardApply(dy, y, x, savedMean, coefficients, dx, dResidual, n, channels, spatial,
            (flags & Relu) != 0, (flags & Residual) != 0, (flags & AccumulateResidual) != 0, (flags & AccumulateInput) != 0);

    // The generator's form: the shape (6 channels of 5x5) and flags are constants, only n is an argument.
    private static void Generated_Partials(ArrayView<float> x, ArrayView<float> partials, int n) =>
        GpuBatchNorm.StatisticsPartials(x, partials, n, 6, 25);

    private static void Generated_Statistics(ArrayView<float> partials, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> runningMean,
        ArrayView<float> runningVar, ArrayView<float> savedMean, ArrayView<float> savedInvStd, ArrayView<float> scale, ArrayView<float> shift, int n) =>
        GpuBatchNorm.Statistics(partials, gamma, beta, runningMean, runningVar, savedMean, savedInvStd, scale, shift, n, 6, 25, 1e-3f, 0.1f);

    private static void Generated_Apply(ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> residual, ArrayView<float> y, int n) =>
        GpuBatchNorm.Apply(x, scale, shift, residual, y, n, 6, 25, addResidual: true, reluOutput: true);

    public static TheoryData<int, int, int, int> ForwardCases => new()
    {
        { 3, 3, 1, 0 },
        { 3, 1, 1, Relu },
        { 3, 5, 9, Residual | Relu },
        { 1, 70, 25, Relu },
        { 3, 4, 37 * 37, Residual },
        // Three parts per channel: the combination of partial statistics.
        { 3, 2, 4100, Relu },
    };

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void TrainForwardMatchesCpuAndReference(int n, int channels, int spatial, int flags)
    {
        var data = new BatchNormData(n, channels, spatial, seed: 10 * channels + spatial);
        bool relu = (flags & Relu) != 0, residual = (flags & Residual) != 0;

        var expected = data.Clone();
        float[] y = new float[data.X.Length];
        fixed (float* px = expected.X, py = y, pg = expected.Gamma, pb = expected.Beta, prm = expected.RunningMean, prv = expected.RunningVar,
            psm = expected.SavedMean, psi = expected.SavedInvStd, pr = expected.Residual)
        {
            BatchNorm.TrainForward(px, py, pg, pb, prm, prv, psm, psi, n, channels, spatial, Eps, Momentum, residual ? pr : null, relu);
        }

        var naive = data.Clone();
        float[] naiveY = new float[data.X.Length];
        NaiveOps.BatchNormTrainForward<float>(naive.X, naiveY, naive.Gamma, naive.Beta, naive.RunningMean, naive.RunningVar,
            naive.SavedMean, naive.SavedInvStd, n, channels, spatial, Eps, Momentum, residual ? naive.Residual : [], relu);

        var actual = new DeviceBatchNorm(fixture, data);
        actual.TrainStatistics();
        using var output = fixture.Zeros(data.X.Length);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(Apply)(
            GpuBatchNorm.ApplyConfig(n, channels, spatial), actual.X.View, actual.Scale.View, actual.Shift.View,
            residual ? actual.Residual.View : ArrayView<float>.Empty, output.View, n, channels, spatial, flags);

        float[] gpuY = fixture.Download(output);
        TensorAssert.RelativeL2("y vs CPU", y, gpuY);
        TensorAssert.RelativeL2("y vs reference", naiveY, gpuY);
        TensorAssert.MaxAbsRelative("saved mean", expected.SavedMean, fixture.Download(actual.SavedMean));
        TensorAssert.MaxAbsRelative("saved invstd", expected.SavedInvStd, fixture.Download(actual.SavedInvStd));
        TensorAssert.MaxAbsRelative("running mean", expected.RunningMean, fixture.Download(actual.RunningMean));
        TensorAssert.MaxAbsRelative("running var", expected.RunningVar, fixture.Download(actual.RunningVar));
        actual.Dispose();
    }

    [Fact]
    public void LargeSpatialExtentsAreSplitIntoParts()
    {
        Assert.Equal(3, BatchNormPartition.Parts(2, 4100));
        Assert.Equal(1, BatchNormPartition.Parts(70, 25));
        // Few channels over 147x147 images: about 700 groups instead of 32.
        Assert.InRange(32 * BatchNormPartition.Parts(32, 147 * 147), 256, 2048);
    }

    [Theory]
    [InlineData(1, 3, 9)]
    [InlineData(3, 2, 4100)]
    public void TrainStatisticsMatchesCpu(int n, int channels, int spatial)
    {
        var data = new BatchNormData(n, channels, spatial, seed: 7);
        var expected = data.Clone();
        float[] scale = new float[channels], shift = new float[channels];
        fixed (float* px = expected.X, pg = expected.Gamma, pb = expected.Beta, prm = expected.RunningMean, prv = expected.RunningVar,
            psm = expected.SavedMean, psi = expected.SavedInvStd, ps = scale, pt = shift)
        {
            BatchNorm.TrainStatistics(px, pg, pb, prm, prv, psm, psi, ps, pt, n, channels, spatial, Eps, Momentum);
        }

        using var actual = new DeviceBatchNorm(fixture, data);
        actual.TrainStatistics();
        TensorAssert.MaxAbsRelative("scale", scale, fixture.Download(actual.Scale));
        TensorAssert.MaxAbsRelative("shift", shift, fixture.Download(actual.Shift));
        TensorAssert.MaxAbsRelative("running var", expected.RunningVar, fixture.Download(actual.RunningVar));
    }

    [Theory]
    [InlineData(1, 1, 1, 0)]
    [InlineData(3, 70, 9, Residual | Relu)]
    [InlineData(3, 5, 37, Relu)]
    public void EvalForwardMatchesCpuAndReference(int n, int channels, int spatial, int flags)
    {
        var data = new BatchNormData(n, channels, spatial, seed: 3);
        bool relu = (flags & Relu) != 0, residual = (flags & Residual) != 0;
        float[] y = new float[data.X.Length], scale = new float[channels], shift = new float[channels];
        fixed (float* px = data.X, py = y, pg = data.Gamma, pb = data.Beta, prm = data.RunningMean, prv = data.RunningVar, pr = data.Residual,
            ps = scale, pt = shift)
        {
            BatchNorm.EvalForward(px, py, pg, pb, prm, prv, n, channels, spatial, Eps, residual ? pr : null, relu);
            BatchNorm.EvalAffine(pg, pb, prm, prv, ps, pt, channels, Eps);
        }

        float[] naiveY = new float[data.X.Length];
        NaiveOps.BatchNormEvalForward<float>(data.X, naiveY, data.Gamma, data.Beta, data.RunningMean, data.RunningVar,
            n, channels, spatial, Eps, residual ? data.Residual : [], relu);

        using var actual = new DeviceBatchNorm(fixture, data);
        using var output = fixture.Zeros(data.X.Length);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(EvalAffine)(
            GpuBatchNorm.EvalAffineConfig(channels), actual.Gamma.View, actual.Beta.View, actual.RunningMean.View, actual.RunningVar.View,
            actual.Scale.View, actual.Shift.View, channels);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(Apply)(
            GpuBatchNorm.ApplyConfig(n, channels, spatial), actual.X.View, actual.Scale.View, actual.Shift.View,
            residual ? actual.Residual.View : ArrayView<float>.Empty, output.View, n, channels, spatial, flags);

        TensorAssert.MaxAbsRelative("eval scale", scale, fixture.Download(actual.Scale));
        TensorAssert.MaxAbsRelative("eval shift", shift, fixture.Download(actual.Shift));
        float[] gpuY = fixture.Download(output);
        TensorAssert.RelativeL2("eval y vs CPU", y, gpuY);
        TensorAssert.RelativeL2("eval y vs reference", naiveY, gpuY);
    }

    public static TheoryData<int, int, int, int> BackwardCases => new()
    {
        { 3, 3, 1, 0 },
        { 3, 5, 9, Relu | Residual },
        { 3, 5, 9, Relu | Residual | AccumulateResidual | AccumulateInput },
        { 1, 70, 25, AccumulateInput },
        { 3, 4, 37 * 37, Residual | AccumulateResidual },
        { 3, 2, 4100, Relu },
    };

    [Theory]
    [MemberData(nameof(BackwardCases))]
    public void BackwardMatchesCpu(int n, int channels, int spatial, int flags)
    {
        bool relu = (flags & Relu) != 0, residual = (flags & Residual) != 0;
        bool accumulateResidual = (flags & AccumulateResidual) != 0, accumulateInput = (flags & AccumulateInput) != 0;
        var data = new BatchNormData(n, channels, spatial, seed: 5 * spatial + channels);
        int length = data.X.Length;
        // y, saved mean and invstd from the CPU forward, so the ReLU mask is the forward's.
        float[] y = new float[length];
        fixed (float* px = data.X, py = y, pg = data.Gamma, pb = data.Beta, prm = data.RunningMean, prv = data.RunningVar,
            psm = data.SavedMean, psi = data.SavedInvStd)
        {
            BatchNorm.TrainForward(px, py, pg, pb, prm, prv, psm, psi, n, channels, spatial, Eps, Momentum, null, relu);
        }

        float[] dy = TensorRandom.Uniform(length, seed: 11);
        float[] dx = TensorRandom.Uniform(length, seed: 12), dResidual = TensorRandom.Uniform(length, seed: 13);
        float[] dGamma = TensorRandom.Uniform(channels, seed: 14), dBeta = TensorRandom.Uniform(channels, seed: 15);
        using var gpuDy = fixture.Upload(dy);
        using var gpuY = fixture.Upload(y);
        using var gpuDx = fixture.Upload(dx);
        using var gpuDResidual = fixture.Upload(dResidual);
        using var gpuDGamma = fixture.Upload(dGamma);
        using var gpuDBeta = fixture.Upload(dBeta);
        using var device = new DeviceBatchNorm(fixture, data);

        fixed (float* pdy = dy, py = y, px = data.X, pg = data.Gamma, psm = data.SavedMean, psi = data.SavedInvStd, pdx = dx,
            pdg = dGamma, pdb = dBeta, pdr = dResidual)
        {
            BatchNorm.Backward(pdy, py, px, pg, psm, psi, pdx, pdg, pdb, n, channels, spatial, relu, residual ? pdr : null,
                accumulateResidual, accumulateInput);
        }

        using var partials = fixture.Zeros(BatchNormPartition.PartialsLength(channels, spatial));
        using var coefficients = fixture.Zeros(3 * channels);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(BackwardPartials)(
            GpuBatchNorm.StatisticsPartialsConfig(n, channels, spatial), gpuDy.View, relu ? gpuY.View : ArrayView<float>.Empty, device.X.View,
            device.SavedMean.View, partials.View, n, channels, spatial, flags);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(BackwardSums)(
            GpuBatchNorm.BackwardSumsConfig(n, channels, spatial), partials.View, device.Gamma.View, device.SavedInvStd.View,
            gpuDGamma.View, gpuDBeta.View, coefficients.View, n, channels, spatial);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(BackwardApply)(
            GpuBatchNorm.BackwardApplyConfig(n, channels, spatial), gpuDy.View, relu ? gpuY.View : ArrayView<float>.Empty, device.X.View,
            device.SavedMean.View, coefficients.View, gpuDx.View, residual ? gpuDResidual.View : ArrayView<float>.Empty, n, channels, spatial, flags);

        TensorAssert.RelativeL2("dx", dx, fixture.Download(gpuDx));
        TensorAssert.MaxAbsRelative("dgamma", dGamma, fixture.Download(gpuDGamma));
        TensorAssert.MaxAbsRelative("dbeta", dBeta, fixture.Download(gpuDBeta));
        TensorAssert.Identical("dresidual", dResidual, fixture.Download(gpuDResidual));
        Assert.Equal(dy, fixture.Download(gpuDy));
    }

    [Fact]
    public void BackwardMatchesReference()
    {
        const int n = 3, channels = 4, spatial = 25;
        var data = new BatchNormData(n, channels, spatial, seed: 21);
        int length = data.X.Length;
        float[] y = new float[length];
        NaiveOps.BatchNormTrainForward<float>(data.X, y, data.Gamma, data.Beta, data.RunningMean, data.RunningVar,
            data.SavedMean, data.SavedInvStd, n, channels, spatial, Eps, Momentum, [], reluOutput: true);
        float[] dy = TensorRandom.Uniform(length, seed: 22);
        float[] dx = new float[length], dGamma = new float[channels], dBeta = new float[channels], dResidual = new float[length];
        NaiveOps.BatchNormBackward<float>(dy, y, data.X, data.Gamma, data.SavedMean, data.SavedInvStd, dx, dGamma, dBeta,
            n, channels, spatial, reluOutput: true, dResidual, accumulateResidual: false);

        using var device = new DeviceBatchNorm(fixture, data);
        using var gpuDy = fixture.Upload(dy);
        using var gpuY = fixture.Upload(y);
        using var gpuDx = fixture.Zeros(length);
        using var gpuDResidual = fixture.Zeros(length);
        using var gpuDGamma = fixture.Zeros(channels);
        using var gpuDBeta = fixture.Zeros(channels);
        using var partials = fixture.Zeros(BatchNormPartition.PartialsLength(channels, spatial));
        using var coefficients = fixture.Zeros(3 * channels);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(BackwardPartials)(
            GpuBatchNorm.StatisticsPartialsConfig(n, channels, spatial), gpuDy.View, gpuY.View, device.X.View, device.SavedMean.View,
            partials.View, n, channels, spatial, Relu);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(BackwardSums)(
            GpuBatchNorm.BackwardSumsConfig(n, channels, spatial), partials.View, device.Gamma.View, device.SavedInvStd.View,
            gpuDGamma.View, gpuDBeta.View, coefficients.View, n, channels, spatial);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(BackwardApply)(
            GpuBatchNorm.BackwardApplyConfig(n, channels, spatial), gpuDy.View, gpuY.View, device.X.View, device.SavedMean.View,
            coefficients.View, gpuDx.View, gpuDResidual.View, n, channels, spatial, Relu | Residual);

        TensorAssert.RelativeL2("dx", dx, fixture.Download(gpuDx));
        TensorAssert.MaxAbsRelative("dgamma", dGamma, fixture.Download(gpuDGamma));
        TensorAssert.MaxAbsRelative("dbeta", dBeta, fixture.Download(gpuDBeta));
        TensorAssert.RelativeL2("dresidual", dResidual, fixture.Download(gpuDResidual));
    }

    [Fact]
    public void GeneratedFormMatchesCpu()
    {
        const int n = 3, channels = 6, spatial = 25;
        var data = new BatchNormData(n, channels, spatial, seed: 31);
        var expected = data.Clone();
        float[] y = new float[data.X.Length];
        fixed (float* px = expected.X, py = y, pg = expected.Gamma, pb = expected.Beta, prm = expected.RunningMean, prv = expected.RunningVar,
            psm = expected.SavedMean, psi = expected.SavedInvStd, pr = expected.Residual)
        {
            BatchNorm.TrainForward(px, py, pg, pb, prm, prv, psm, psi, n, channels, spatial, 1e-3f, 0.1f, pr, reluOutput: true);
        }

        using var device = new DeviceBatchNorm(fixture, data);
        using var partials = fixture.Zeros(BatchNormPartition.PartialsLength(channels, spatial));
        using var output = fixture.Zeros(data.X.Length);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(Generated_Partials)(
            GpuBatchNorm.StatisticsPartialsConfig(n, channels, spatial), device.X.View, partials.View, n);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(Generated_Statistics)(
            GpuBatchNorm.StatisticsConfig(n, channels, spatial), partials.View, device.Gamma.View, device.Beta.View, device.RunningMean.View,
            device.RunningVar.View, device.SavedMean.View, device.SavedInvStd.View, device.Scale.View, device.Shift.View, n);
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(Generated_Apply)(
            GpuBatchNorm.ApplyConfig(n, channels, spatial), device.X.View, device.Scale.View, device.Shift.View, device.Residual.View, output.View, n);

        TensorAssert.RelativeL2("y", y, fixture.Download(output));
        TensorAssert.MaxAbsRelative("running var", expected.RunningVar, fixture.Download(device.RunningVar));
    }

    [Fact]
    public void GeneratedFormCompilesToPtxWithoutLibDevice()
    {
        foreach (string kernel in new[] { nameof(Generated_Partials), nameof(Generated_Statistics), nameof(Generated_Apply), nameof(BackwardApply), nameof(BackwardSums), nameof(EvalAffine) })
        {
            string ptx = PtxCompiler.Compile(typeof(GpuBatchNormTests), kernel);
            Assert.Contains(".entry", ptx, StringComparison.Ordinal);
        }
    }

    /// <summary>Host tensors of one batch norm: x with a large mean (so cancellation would show), parameters and statistics.</summary>
    private sealed class BatchNormData
    {
        public BatchNormData(int n, int channels, int spatial, int seed)
        {
            N = n;
            Channels = channels;
            Spatial = spatial;
            X = TensorRandom.Uniform(n * channels * spatial, seed, 2, 4);
            Residual = TensorRandom.Uniform(X.Length, seed + 1);
            Gamma = TensorRandom.Uniform(channels, seed + 2, 0.5, 1.5);
            Beta = TensorRandom.Uniform(channels, seed + 3);
            RunningMean = TensorRandom.Uniform(channels, seed + 4);
            RunningVar = TensorRandom.Uniform(channels, seed + 5, 0.5, 2);
            SavedMean = new float[channels];
            SavedInvStd = new float[channels];
        }

        private BatchNormData(BatchNormData other)
        {
            (N, Channels, Spatial) = (other.N, other.Channels, other.Spatial);
            X = (float[])other.X.Clone();
            Residual = (float[])other.Residual.Clone();
            Gamma = (float[])other.Gamma.Clone();
            Beta = (float[])other.Beta.Clone();
            RunningMean = (float[])other.RunningMean.Clone();
            RunningVar = (float[])other.RunningVar.Clone();
            SavedMean = (float[])other.SavedMean.Clone();
            SavedInvStd = (float[])other.SavedInvStd.Clone();
        }

        public int N { get; }
        public int Channels { get; }
        public int Spatial { get; }
        public float[] X { get; }
        public float[] Residual { get; }
        public float[] Gamma { get; }
        public float[] Beta { get; }
        public float[] RunningMean { get; }
        public float[] RunningVar { get; }
        public float[] SavedMean { get; }
        public float[] SavedInvStd { get; }

        public BatchNormData Clone() => new(this);
    }

    /// <summary>The same tensors on the device, with the scale and shift scratch, and the two statistics passes.</summary>
    private sealed class DeviceBatchNorm : IDisposable
    {
        private readonly CpuAccelerator fixture;
        private readonly BatchNormData data;

        public DeviceBatchNorm(CpuAccelerator fixture, BatchNormData data)
        {
            this.fixture = fixture;
            this.data = data;
            X = fixture.Upload(data.X);
            Residual = fixture.Upload(data.Residual);
            Gamma = fixture.Upload(data.Gamma);
            Beta = fixture.Upload(data.Beta);
            RunningMean = fixture.Upload(data.RunningMean);
            RunningVar = fixture.Upload(data.RunningVar);
            SavedMean = fixture.Upload(data.SavedMean);
            SavedInvStd = fixture.Upload(data.SavedInvStd);
            Scale = fixture.Zeros(data.Channels);
            Shift = fixture.Zeros(data.Channels);
        }

        public MemoryBuffer1D<float, Stride1D.Dense> X { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Residual { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Gamma { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Beta { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> RunningMean { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> RunningVar { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> SavedMean { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> SavedInvStd { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Scale { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Shift { get; }

        /// <summary>The two statistics passes: saved and running statistics, scale and shift.</summary>
        public void TrainStatistics()
        {
            (int n, int channels, int spatial) = (data.N, data.Channels, data.Spatial);
            Accelerator accelerator = fixture.Accelerator;
            using var partials = fixture.Zeros(BatchNormPartition.PartialsLength(channels, spatial));
            accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, int, int>(Partials)(
                GpuBatchNorm.StatisticsPartialsConfig(n, channels, spatial), X.View, partials.View, n, channels, spatial);
            accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(Statistics)(
                GpuBatchNorm.StatisticsConfig(n, channels, spatial), partials.View, Gamma.View, Beta.View, RunningMean.View, RunningVar.View,
                SavedMean.View, SavedInvStd.View, Scale.View, Shift.View, n, channels, spatial);
            accelerator.Synchronize();
        }

        public void Dispose()
        {
            foreach (var buffer in new[] { X, Residual, Gamma, Beta, RunningMean, RunningVar, SavedMean, SavedInvStd, Scale, Shift })
            {
                buffer.Dispose();
            }
        }
    }
}
