using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// A batch norm folded into the next depthwise convolution's prologue must be indistinguishable from one whose output
/// is stored: the coefficients <see cref="BatchNorm.TrainStatistics"/> and <see cref="BatchNorm.EvalAffine"/> write
/// reproduce the stored outputs bit for bit, and every depthwise method reading through them gives bit for bit what it
/// gives on the stored output.
/// </summary>
public sealed unsafe class FoldedBatchNormTests
{
    private const float Eps = 1e-3f;
    private const float Momentum = 0.1f;
    private const int Batch = 2;

    // 19 x 19 (the middle flow's planes, vector tails included) and a strided shape.
    private static readonly DepthwiseShape[] Shapes = [new(6, 19, 19, 19, 19, 3, 1, 1, 1), new(5, 9, 9, 5, 5, 3, 2, 1, 1)];

    public static TheoryData<int, bool> Cases => new() { { 0, true }, { 0, false }, { 1, true }, { 1, false } };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CoefficientsReproduceTheStoredOutputBitForBit(bool training)
    {
        DepthwiseShape s = Shapes[0];
        (float[] x, float[] stored, float[] scale, float[] shift, float[] savedStatistics, float[] foldedStatistics) = Normalize(s, training);
        var folded = new float[x.Length];
        int spatial = s.InHeight * s.InWidth;
        for (int i = 0; i < x.Length; i++)
        {
            int c = i / spatial % s.Channels;
            folded[i] = MathF.FusedMultiplyAdd(x[i], scale[c], shift[c]);
        }

        TensorAssert.Identical("FMA(x, scale, shift) against the stored batch-norm output", stored, folded);
        TensorAssert.Identical("saved and running statistics", savedStatistics, foldedStatistics);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DepthwiseThroughThePrologueEqualsDepthwiseOnTheStoredOutput(int shape, bool relu)
    {
        foreach (SimdWidth width in SimdWidths.Available)
        {
            using SimdPath.Scope path = SimdPath.Force(width);
            CheckDepthwiseThroughThePrologueEqualsDepthwiseOnTheStoredOutput(Shapes[shape], relu);
        }
    }

    private static void CheckDepthwiseThroughThePrologueEqualsDepthwiseOnTheStoredOutput(in DepthwiseShape s, bool relu)
    {
        (float[] x, float[] stored, float[] scale, float[] shift, _, _) = Normalize(s, training: true);
        float[] w = TestTensors.Random(s.Channels * s.Kernel * s.Kernel, 5);
        float[] dy = TestTensors.Random(Batch * s.Channels * s.OutHeight * s.OutWidth, 6);
        int outputs = Batch * s.Channels * s.OutHeight * s.OutWidth;
        float[] y = new float[outputs], yFolded = new float[outputs];
        float[] dx = TestTensors.Random(x.Length, 7), dxFolded = (float[])dx.Clone();
        float[] dw = TestTensors.Random(w.Length, 8), dwFolded = (float[])dw.Clone();
        float[] dxBoth = TestTensors.Random(x.Length, 9), dxBothFolded = (float[])dxBoth.Clone();
        float[] dwBoth = TestTensors.Random(w.Length, 10), dwBothFolded = (float[])dwBoth.Clone();
        fixed (float* px = x, pStored = stored, pScale = scale, pShift = shift, pw = w, pdy = dy)
        fixed (float* py = y, pyFolded = yFolded, pdx = dx, pdxFolded = dxFolded, pdw = dw, pdwFolded = dwFolded)
        fixed (float* pdxBoth = dxBoth, pdxBothFolded = dxBothFolded, pdwBoth = dwBoth, pdwBothFolded = dwBothFolded)
        {
            var prologue = new ChannelAffine(pScale, pShift);
            Depthwise.Forward(pStored, pw, py, Batch, s, relu);
            Depthwise.Forward(px, pw, pyFolded, Batch, s, relu, prologue);
            Depthwise.BackwardData(pdy, pw, pStored, pdx, Batch, s, relu, accumulate: true);
            Depthwise.BackwardData(pdy, pw, px, pdxFolded, Batch, s, relu, accumulate: true, prologue);
            Depthwise.BackwardWeights(pdy, pStored, pdw, Batch, s, relu);
            Depthwise.BackwardWeights(pdy, px, pdwFolded, Batch, s, relu, prologue);
            Depthwise.Backward(pdy, pw, pStored, pdxBoth, pdwBoth, Batch, s, relu, accumulate: true);
            Depthwise.Backward(pdy, pw, px, pdxBothFolded, pdwBothFolded, Batch, s, relu, accumulate: true, prologue);
        }

        TensorAssert.Identical("forward", y, yFolded);
        TensorAssert.Identical("data gradient", dx, dxFolded);
        TensorAssert.Identical("weight gradient", dw, dwFolded);
        TensorAssert.Identical("both gradients at once: data", dxBoth, dxBothFolded);
        TensorAssert.Identical("both gradients at once: weights", dwBoth, dwBothFolded);
    }

    public static TheoryData<int, bool, SimdWidth> CasesOnEachPath =>
        SimdWidths.Each(Enumerable.Range(0, Shapes.Length).SelectMany(shape => TheoryCases.Both.Select(relu => (shape, relu))));

    [Theory]
    [MemberData(nameof(CasesOnEachPath))]
    public void DepthwiseBackwardDoesTheFoldedBatchNormsBackwardBitForBit(int shape, bool relu, SimdWidth width)
    {
        // The 19 x 19 shape runs it after each channel's planes (read in place or on bands), the strided one after all.
        using SimdPath.Scope path = SimdPath.Force(width);
        DepthwiseShape s = Shapes[shape];
        int channels = s.Channels, spatial = s.InHeight * s.InWidth;
        (float[] x, _, float[] scale, float[] shift, float[] statistics, _) = Normalize(s, training: true);
        float[] w = TestTensors.Random(channels * s.Kernel * s.Kernel, 5), gamma = TestTensors.Random(channels, 6);
        float[] dy = TestTensors.Random(Batch * channels * s.OutHeight * s.OutWidth, 7);
        float[] g = new float[x.Length], gFused = new float[x.Length], dw = new float[w.Length], dwFused = new float[w.Length];
        float[] dx = TestTensors.Random(x.Length, 8), dxFused = TestTensors.Random(x.Length, 9);
        float[] dgamma = TestTensors.Random(channels, 10), dgammaFused = (float[])dgamma.Clone();
        float[] dbeta = TestTensors.Random(channels, 11), dbetaFused = (float[])dbeta.Clone();
        fixed (float* px = x, pScale = scale, pShift = shift, ps = statistics, pw = w, pGamma = gamma, pdy = dy)
        fixed (float* pg = g, pgFused = gFused, pdw = dw, pdwFused = dwFused, pdx = dx, pdxFused = dxFused)
        fixed (float* pdgamma = dgamma, pdgammaFused = dgammaFused, pdbeta = dbeta, pdbetaFused = dbetaFused)
        {
            float* mean = ps + 2 * channels, invStd = ps + 3 * channels;
            var prologue = new ChannelAffine(pScale, pShift);
            // g, the depthwise's data gradient, is the batch norm's output gradient.
            Depthwise.Backward(pdy, pw, px, pg, pdw, Batch, s, relu, accumulate: false, prologue);
            BatchNorm.Backward(pg, null, px, pGamma, mean, invStd, pdx, pdgamma, pdbeta, Batch, channels, spatial, reluOutput: false, null, false);
            var norm = new FoldedNormBackward(pGamma, mean, invStd, pdxFused, pdgammaFused, pdbetaFused);
            Depthwise.Backward(pdy, pw, px, pgFused, pdwFused, Batch, s, relu, accumulate: false, prologue, foldedNorm: norm);
            bool refused = false;
            try
            {
                Depthwise.Backward(pdy, pw, px, pgFused, pdwFused, Batch, s, relu, accumulate: true, prologue, foldedNorm: norm);
            }
            catch (ArgumentException)
            {
                refused = true;
            }

            Assert.True(refused, "an accumulated dx is not the batch norm's output gradient alone: the fused backward must be refused");
        }

        TensorAssert.Identical("the depthwise's data gradient", g, gFused);
        TensorAssert.Identical("the depthwise's weight gradient", dw, dwFused);
        TensorAssert.Identical("the batch norm's input gradient", dx, dxFused);
        TensorAssert.Identical("dgamma", dgamma, dgammaFused);
        TensorAssert.Identical("dbeta", dbeta, dbetaFused);
    }

    // A batch norm over x run twice from the same state: once storing its output, once folded (coefficients only).
    private static (float[] X, float[] Stored, float[] Scale, float[] Shift, float[] Statistics, float[] FoldedStatistics) Normalize(in DepthwiseShape s, bool training)
    {
        int channels = s.Channels, spatial = s.InHeight * s.InWidth;
        float[] x = TestTensors.Random(Batch * channels * spatial, 1);
        float[] gamma = TestTensors.Random(channels, 2), beta = TestTensors.Random(channels, 3);
        float[] statistics = [.. TestTensors.Random(channels, 4), .. TensorRandom.Uniform(channels, 9).Select(v => v + 2f), .. new float[2 * channels]];
        float[] foldedStatistics = (float[])statistics.Clone();
        float[] stored = new float[x.Length], scale = new float[channels], shift = new float[channels];
        fixed (float* px = x, py = stored, pg = gamma, pb = beta, ps = statistics, pf = foldedStatistics, pScale = scale, pShift = shift)
        {
            if (training)
            {
                BatchNorm.TrainForward(px, py, pg, pb, ps, ps + channels, ps + 2 * channels, ps + 3 * channels, Batch, channels, spatial, Eps, Momentum, null, reluOutput: false);
                BatchNorm.TrainStatistics(px, pg, pb, pf, pf + channels, pf + 2 * channels, pf + 3 * channels, pScale, pShift, Batch, channels, spatial, Eps, Momentum);
            }
            else
            {
                BatchNorm.EvalForward(px, py, pg, pb, ps, ps + channels, Batch, channels, spatial, Eps, null, reluOutput: false);
                BatchNorm.EvalAffine(pg, pb, pf, pf + channels, pScale, pShift, channels, Eps);
            }
        }

        return (x, stored, scale, shift, statistics, foldedStatistics);
    }
}
