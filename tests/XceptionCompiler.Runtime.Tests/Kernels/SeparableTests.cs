using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="Separable.Forward"/> (the depthwise output computed into the pointwise GEMM's panels) gives bit for bit
/// <see cref="Depthwise.Forward"/> then <see cref="Pointwise.Forward"/> on one and on two threads, on each SIMD path,
/// and the naive separable convolution to rounding. It changes the thread count, so it runs alone.
/// </summary>
[Collection(nameof(WorkersCollection))]
public sealed unsafe class SeparableTests
{
    internal static readonly Dictionary<string, (DepthwiseShape Depthwise, int OutChannels)> Shapes = new()
    {
        // 361 columns: 12 tiles of 32, the last partial; 20 rows pack A, 16 are whole AVX-512 row tiles.
        ["xception_19x19"] = (new(33, 19, 19, 19, 19, 3, 1, 1, 1), 20),
        ["xception_19x19_whole_row_tiles"] = (new(33, 19, 19, 19, 19, 3, 1, 1, 1), 16),
        // 800 channels are two slices of the GEMM's K; at 300 deep, 1200 columns per image need two chunks of packed tiles.
        ["k_past_one_slice"] = (new(800, 5, 7, 5, 7, 3, 1, 1, 1), 24),
        ["n_past_one_chunk"] = (new(300, 12, 100, 12, 100, 3, 1, 1, 1), 9),
        ["symmetric_s2"] = (new(7, 9, 9, 5, 5, 3, 2, 1, 1), 13),
        ["k5_asymmetric"] = (new(3, 8, 9, 8, 7, 5, 1, 2, 1), 10),
    };

    public static TheoryData<string, int, bool, bool, SimdWidth> Cases()
    {
        var data = new TheoryData<string, int, bool, bool, SimdWidth>();
        foreach (string shape in Shapes.Keys)
        {
            foreach (int batch in TheoryCases.Batches)
            {
                foreach (bool relu in TheoryCases.Both)
                {
                    foreach (bool affine in TheoryCases.Both)
                    {
                        foreach (SimdWidth width in SimdWidths.Available)
                        {
                            data.Add(shape, batch, relu, affine, width);
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsDepthwiseThenPointwise(string shape, int batch, bool relu, bool affine, SimdWidth width)
    {
        (DepthwiseShape s, int outChannels) = Shapes[shape];
        int inPlane = s.InHeight * s.InWidth, spatial = s.OutHeight * s.OutWidth;
        float[] x = TestTensors.Random(batch * s.Channels * inPlane, 1), dw = TestTensors.Random(s.Channels * s.Kernel * s.Kernel, 2);
        float[] pw = TestTensors.Random(outChannels * s.Channels, 3);
        float[] scale = TestTensors.Random(s.Channels, 4), shift = TestTensors.Random(s.Channels, 5);
        float[] depthwiseOutput = new float[batch * s.Channels * spatial], expected = new float[batch * outChannels * spatial];
        float[] naiveDepthwise = new float[depthwiseOutput.Length], naive = new float[expected.Length];
        float[] normalized = affine ? TestTensors.ThroughAffine(x, scale, shift, inPlane) : x;
        NaiveOps.DepthwiseForward<float>(normalized, dw, naiveDepthwise, batch, s, relu);
        NaiveOps.PointwiseForward<float>(naiveDepthwise, pw, naive, batch, s.Channels, outChannels, spatial);
        using (SimdPath.Force(width))
        {
            fixed (float* px = x, pdw = dw, ppw = pw, pScale = scale, pShift = shift, pMid = depthwiseOutput, pExpected = expected)
            {
                ChannelAffine prologue = affine ? new ChannelAffine(pScale, pShift) : ChannelAffine.None;
                Depthwise.Forward(px, pdw, pMid, batch, s, relu, prologue);
                Pointwise.Forward(pMid, ppw, pExpected, batch, s.Channels, outChannels, spatial);
            }

            foreach (int threads in new[] { 1, 2 })
            {
                float[] y = ThreadCounts.With(threads, () => Fused(x, dw, pw, affine ? (scale, shift) : null, batch, s, outChannels, relu));
                TensorAssert.Identical($"y on {threads} thread(s) against Depthwise.Forward then Pointwise.Forward", expected, y);
                TensorAssert.RelativeL2($"y on {threads} thread(s) against the naive separable convolution", naive, y);
            }
        }
    }

    private static float[] Fused(float[] x, float[] dw, float[] pw, (float[] Scale, float[] Shift)? affine, int batch, in DepthwiseShape s, int outChannels, bool relu)
    {
        float[] y = TestTensors.Initial((long)batch * outChannels * s.OutHeight * s.OutWidth, false, 6);
        (float[] scale, float[] shift) = affine ?? ([], []);
        fixed (float* px = x, pdw = dw, ppw = pw, pScale = scale, pShift = shift, py = y)
        {
            ChannelAffine prologue = affine is null ? ChannelAffine.None : new ChannelAffine(pScale, pShift);
            Separable.Forward(px, pdw, ppw, py, batch, s, outChannels, relu, prologue);
        }

        return y;
    }
}
