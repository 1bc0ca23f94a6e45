using System.Globalization;
using XceptionCompiler.Benchmarks.Infrastructure;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Benchmarks.Kernels;

/// <summary>
/// A separable convolution of the canonical network for one image, 3 x 3 at stride 1 with 'same' padding: the
/// depthwise convolution over <paramref name="Channels"/> planes of Size x Size, then the pointwise one to
/// <paramref name="OutChannels"/>.
/// </summary>
public sealed record SeparableShape(string Name, int Channels, int Size, int OutChannels) : IFlopCount
{
    /// <summary>The entry flow's first separable step (64 -> 128 at 147 x 147), its third block's (256 -> 728 at 37 x 37) and the middle flow's (728 -> 728 at 19 x 19).</summary>
    public static IReadOnlyList<SeparableShape> Canonical { get; } =
    [
        new("entry-147", 64, 147, 128),
        new("entry-37", 256, 37, 728),
        new("mid", 728, 19, 728),
    ];

    public DepthwiseShape Depthwise => new(Channels, Size, Size, Size, Size, 3, 1, 1, 1);

    public double Flops => 2.0 * Channels * Size * Size * (9 + OutChannels);

    // The parameter's text in the summary.
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Channels}x{Size}x{Size}->{OutChannels}");
}
