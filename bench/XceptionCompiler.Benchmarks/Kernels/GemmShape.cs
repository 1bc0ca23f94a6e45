using System.Globalization;
using XceptionCompiler.Benchmarks.Infrastructure;

namespace XceptionCompiler.Benchmarks.Kernels;

/// <summary>
/// A GEMM the canonical network runs for one image: C[M x N] = A[M x K] B[K x N] for a pointwise forward
/// (A the weights, B the input planes), or, when <paramref name="WeightGradient"/>, the accumulating
/// dW[M x N] += dY[M x K] X[N x K]^T of a pointwise weight gradient (B read transposed).
/// </summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool WeightGradient) : IFlopCount
{
    /// <summary>The middle flow's 728 -> 728 pointwise at 19 x 19, the entry flow's 128 -> 256 at 74 x 74, and the middle flow's weight gradient.</summary>
    public static IReadOnlyList<GemmShape> Canonical { get; } =
    [
        new("mid", 728, 19 * 19, 728, WeightGradient: false),
        new("entry", 256, 74 * 74, 128, WeightGradient: false),
        new("mid-dW", 728, 728, 19 * 19, WeightGradient: true),
    ];

    public double Flops => 2.0 * M * N * K;

    // The parameter's text in the summary.
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {M}x{N}x{K}");
}
