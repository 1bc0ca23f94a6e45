using BenchmarkDotNet.Attributes;
using XceptionCompiler.Benchmarks.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Benchmarks.Kernels;

/// <summary>
/// A separable step's forward at the canonical shapes, with the folded batch norm and ReLU prologue the network gives
/// it: the depthwise output computed into the pointwise GEMM's panels (<see cref="Separable.Forward"/>) against the
/// depthwise convolution stored and then packed by the pointwise GEMM.
/// </summary>
[GflopsColumn]
public unsafe class SeparableBenchmarks
{
    private float[] x = [];
    private float[] depthwiseWeights = [];
    private float[] pointwiseWeights = [];
    private float[] scale = [];
    private float[] shift = [];
    private float[] middle = [];
    private float[] y = [];

    public static IEnumerable<SeparableShape> Shapes => SeparableShape.Canonical;

    [ParamsSource(nameof(Shapes))]
    public SeparableShape Shape { get; set; } = SeparableShape.Canonical[0];

    [GlobalSetup]
    public void Setup()
    {
        int plane = Shape.Size * Shape.Size;
        x = TensorRandom.Uniform(Shape.Channels * plane, seed: 1);
        depthwiseWeights = TensorRandom.Uniform(Shape.Channels * 9, seed: 2);
        pointwiseWeights = TensorRandom.Uniform(Shape.OutChannels * Shape.Channels, seed: 3);
        scale = TensorRandom.Uniform(Shape.Channels, seed: 4);
        shift = TensorRandom.Uniform(Shape.Channels, seed: 5);
        middle = new float[Shape.Channels * plane];
        y = new float[Shape.OutChannels * plane];
    }

    [Benchmark(Baseline = true)]
    public void StoredThenPacked()
    {
        DepthwiseShape s = Shape.Depthwise;
        fixed (float* px = x, pdw = depthwiseWeights, ppw = pointwiseWeights, pScale = scale, pShift = shift, pMiddle = middle, py = y)
        {
            Depthwise.Forward(px, pdw, pMiddle, 1, s, reluInput: true, new ChannelAffine(pScale, pShift));
            Pointwise.Forward(pMiddle, ppw, py, 1, Shape.Channels, Shape.OutChannels, Shape.Size * Shape.Size);
        }
    }

    [Benchmark]
    public void IntoPanels()
    {
        fixed (float* px = x, pdw = depthwiseWeights, ppw = pointwiseWeights, pScale = scale, pShift = shift, py = y)
        {
            Separable.Forward(px, pdw, ppw, py, 1, Shape.Depthwise, Shape.OutChannels, reluInput: true, new ChannelAffine(pScale, pShift));
        }
    }
}
