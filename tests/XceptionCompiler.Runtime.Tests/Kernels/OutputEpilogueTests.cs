using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// A convolution with an <see cref="OutputEpilogue"/> gives bit for bit the convolution followed by
/// <see cref="BatchNorm.EvalForward"/> (with and without a residual and ReLU), for the separable, pointwise and
/// dense convolutions, on one and two threads and each SIMD path. It changes the thread count, so it runs alone.
/// </summary>
[Collection(nameof(WorkersCollection))]
public sealed unsafe class OutputEpilogueTests
{
    private const float Eps = 1e-3f;

    public static TheoryData<string, string, bool, bool, SimdWidth> Cases()
    {
        var data = new TheoryData<string, string, bool, bool, SimdWidth>();
        IEnumerable<(string Kind, string Shape)> convolutions = SeparableTests.Shapes.Keys.Select(shape => ("separable", shape))
            .Concat(SeparableTests.Shapes.Keys.Take(3).Select(shape => ("pointwise", shape)))
            .Concat(Conv2dTests.Shapes.Keys.Select(shape => ("conv", shape)));
        foreach ((string kind, string shape) in convolutions)
        {
            foreach (bool residual in TheoryCases.Both)
            {
                foreach (bool relu in TheoryCases.Both)
                {
                    foreach (SimdWidth width in SimdWidths.Available)
                    {
                        data.Add(kind, shape, residual, relu, width);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EqualsTheConvolutionThenTheEvaluationBatchNorm(string kind, string shape, bool residual, bool relu, SimdWidth width)
    {
        const int batch = 3;
        Convolution convolution = Convolution.Of(kind, shape);
        int channels = convolution.OutChannels, spatial = convolution.OutSpatial;
        float[] x = TestTensors.Random(batch * convolution.InFloats, 1), w = TestTensors.Random(convolution.WeightFloats, 2);
        float[] gamma = TestTensors.Random(channels, 3), beta = TestTensors.Random(channels, 4), mean = TestTensors.Random(channels, 5);
        float[] variance = TestTensors.Random(channels, 6).Select(v => MathF.Abs(v) + 0.5f).ToArray();
        float[]? r = residual ? TestTensors.Random(batch * channels * spatial, 7) : null;
        float[] raw = new float[batch * channels * spatial], expected = new float[raw.Length];
        using var path = SimdPath.Force(width);
        fixed (float* px = x, pw = w, pRaw = raw, pExpected = expected, pGamma = gamma, pBeta = beta, pMean = mean, pVariance = variance, pr = r)
        {
            convolution.Run(px, pw, pRaw, batch, OutputEpilogue.None);
            BatchNorm.EvalForward(pRaw, pExpected, pGamma, pBeta, pMean, pVariance, batch, channels, spatial, Eps, pr, relu);
        }

        foreach (int threads in new[] { 1, 2 })
        {
            float[] y = TestTensors.Initial(raw.Length, false, 8), scale = new float[channels], shift = new float[channels];
            fixed (float* px = x, pw = w, py = y, pGamma = gamma, pBeta = beta, pMean = mean, pVariance = variance, pr = r, pScale = scale, pShift = shift)
            {
                BatchNorm.EvalAffine(pGamma, pBeta, pMean, pVariance, pScale, pShift, channels, Eps);
                var epilogue = new OutputEpilogue(new ChannelAffine(pScale, pShift), pr, relu);
                float* input = px, weights = pw, output = py;
                ThreadCounts.With(threads, () => convolution.Run(input, weights, output, batch, epilogue));
            }

            TensorAssert.Identical($"{kind} with its epilogue on {threads} thread(s)", expected, y);
        }
    }

    [Fact]
    public void AnEpilogueCannotFollowAnAccumulation()
    {
        float[] a = new float[4], b = new float[4], c = new float[4], scale = [1f, 1f], shift = [0f, 0f];
        fixed (float* pa = a, pb = b, pc = c, pScale = scale, pShift = shift)
        {
            var epilogue = new OutputEpilogue(new ChannelAffine(pScale, pShift), null, relu: false);
            var panels = new MatrixPanels(pb, 2, transB: false, strideB: 0);
            float* pa2 = pa, pc2 = pc;
            Assert.Throws<ArgumentException>(() => Gemm.MultiplyBatch(1, 0, 2, 2, 2, pa2, 2, false, panels, pc2, 2, accumulate: true, GemmMicroKernels.Current, epilogue));
        }
    }

    // One of the three convolutions that take an epilogue, on a shape from its own tests.
    private sealed class Convolution
    {
        private readonly string kind;
        private readonly DepthwiseShape depthwise;
        private readonly ConvShape conv;

        private Convolution(string kind, DepthwiseShape depthwise, ConvShape conv, int outChannels, int outSpatial, int inFloats, int weightFloats)
        {
            this.kind = kind;
            this.depthwise = depthwise;
            this.conv = conv;
            OutChannels = outChannels;
            OutSpatial = outSpatial;
            InFloats = inFloats;
            WeightFloats = weightFloats;
        }

        public int OutChannels { get; }

        public int OutSpatial { get; }

        public int InFloats { get; }

        public int WeightFloats { get; }

        public static Convolution Of(string kind, string shape)
        {
            if (kind == "conv")
            {
                ConvShape c = Conv2dTests.Shapes[shape];
                return new Convolution(kind, default, c, c.OutChannels, c.OutHeight * c.OutWidth, c.InChannels * c.InHeight * c.InWidth,
                    c.OutChannels * c.InChannels * c.KernelHeight * c.KernelWidth);
            }

            (DepthwiseShape s, int outChannels) = SeparableTests.Shapes[shape];
            int inPlane = s.InHeight * s.InWidth, taps = s.Kernel * s.Kernel;
            // The pointwise convolution reads the depthwise input shape as its own (1x1, so the input plane is the output's).
            return kind == "separable"
                ? new Convolution(kind, s, default, outChannels, s.OutHeight * s.OutWidth, s.Channels * inPlane, s.Channels * taps + outChannels * s.Channels)
                : new Convolution(kind, s, default, outChannels, inPlane, s.Channels * inPlane, outChannels * s.Channels);
        }

        // w holds the depthwise weights, then the pointwise ones, for a separable convolution.
        public void Run(float* x, float* w, float* y, int batch, OutputEpilogue epilogue)
        {
            switch (kind)
            {
                case "separable":
                    Separable.Forward(x, w, w + depthwise.Channels * depthwise.Kernel * depthwise.Kernel, y, batch, depthwise, OutChannels,
                        reluInput: true, epilogue: epilogue);
                    break;
                case "pointwise":
                    Pointwise.Forward(x, w, y, batch, depthwise.Channels, OutChannels, OutSpatial, epilogue);
                    break;
                default:
                    Conv2d.Forward(x, w, y, batch, conv, reluInput: false, epilogue);
                    break;
            }
        }
    }
}
