using System.Numerics;

namespace XceptionCompiler.Reference;

/// <summary>
/// The naive reference ops: plain nested loops over NCHW spans, forward and backward, one file per op family.
/// They are the oracle for the CPU kernels and for generated network code, so they favour being obviously correct
/// over speed, share nothing with the kernels except the shape records and <c>Dropout.Keeps</c>, and sum in double.
/// Generic over the element type so finite-difference checks can run them in double precision.
/// Conventions follow the kernels: "accumulate" chooses between = and += for input gradients; parameter gradients
/// always accumulate; an optional tensor is passed as an empty span.
/// </summary>
public static partial class NaiveOps
{
    private static double D<T>(T value)
        where T : IFloatingPointIeee754<T>
        => double.CreateTruncating(value);

    private static T From<T>(double value)
        where T : IFloatingPointIeee754<T>
        => T.CreateTruncating(value);

    private static double Relu(double value) => value > 0 ? value : 0;

    // dst[i] = value, or dst[i] += value when accumulating.
    private static void Store<T>(Span<T> dst, long i, double value, bool accumulate)
        where T : IFloatingPointIeee754<T>
        => dst[(int)i] = accumulate ? From<T>(D(dst[(int)i]) + value) : From<T>(value);
}
