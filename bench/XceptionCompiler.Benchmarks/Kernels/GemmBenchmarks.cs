using BenchmarkDotNet.Attributes;
using XceptionCompiler.Benchmarks.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Benchmarks.Kernels;

/// <summary>
/// The packed, blocked GEMM (Runtime/Kernels/Gemm.cs) at the canonical network's pointwise shapes with each
/// micro-kernel, against the naive pointwise ops of the reference project, which compute the same product.
/// The GFLOP/s column compares it with the FMA peak (Fma/FmaPeakBenchmarks).
/// </summary>
[MemoryDiagnoser]
[GflopsColumn]
public unsafe class GemmBenchmarks
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];

    public static IEnumerable<GemmShape> Shapes => GemmShape.Canonical;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Canonical[0];

    [Params(MicroKernel.Vector512, MicroKernel.Vector256)]
    public MicroKernel Kernel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        a = TensorRandom.Uniform(Shape.M * Shape.K, seed: 1);
        b = TensorRandom.Uniform(Shape.K * Shape.N, seed: 2);
        c = TensorRandom.Uniform(Shape.M * Shape.N, seed: 3);
    }

    [Benchmark(Baseline = true)]
    public void Naive()
    {
        if (Shape.WeightGradient)
        {
            NaiveOps.PointwiseBackwardWeights<float>(a, b, c, batch: 1, inChannels: Shape.N, outChannels: Shape.M, spatial: Shape.K);
        }
        else
        {
            NaiveOps.PointwiseForward<float>(b, a, c, batch: 1, inChannels: Shape.K, outChannels: Shape.M, spatial: Shape.N);
        }
    }

    [Benchmark]
    public void Packed()
    {
        bool transB = Shape.WeightGradient;
        fixed (float* pa = a, pb = b, pc = c)
        {
            Gemm.Multiply(Shape.M, Shape.N, Shape.K, pa, Shape.K, transA: false, pb, transB ? Shape.K : Shape.N, transB,
                pc, Shape.N, accumulate: transB, Kernel == MicroKernel.Vector512 ? GemmMicroKernel.Vector512 : GemmMicroKernel.Vector256);
        }
    }
}
