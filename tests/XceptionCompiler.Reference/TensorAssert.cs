using System.Globalization;
using System.Numerics;
using Xunit;

namespace XceptionCompiler.Reference;

/// <summary>
/// Tolerance comparisons of tensors that fail with a message naming the tensor, the error, and the worst element
/// (as a multi-index when a shape is given), so a failing test says where to look.
/// </summary>
public static class TensorAssert
{
    /// <summary>||actual - expected||_2 / ||expected||_2 (the absolute L2 error when expected is all zero).</summary>
    public static double RelativeL2Error<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual)
        where T : IFloatingPointIeee754<T>
    {
        CheckLengths("tensor", expected.Length, actual.Length);
        double difference = 0, reference = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), d = double.CreateTruncating(actual[i]) - e;
            difference += d * d;
            reference += e * e;
        }

        return reference > 0 ? Math.Sqrt(difference / reference) : Math.Sqrt(difference);
    }

    /// <summary>max |actual - expected| / max |expected| (the absolute error when expected is all zero).</summary>
    public static double MaxAbsRelativeError<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual)
        where T : IFloatingPointIeee754<T>
    {
        CheckLengths("tensor", expected.Length, actual.Length);
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]);
            worst = Math.Max(worst, Math.Abs(double.CreateTruncating(actual[i]) - e));
            scale = Math.Max(scale, Math.Abs(e));
        }

        return scale > 0 ? worst / scale : worst;
    }

    /// <summary>Fails unless every value is finite and the relative L2 error is at most <paramref name="tolerance"/>.</summary>
    public static void RelativeL2<T>(string name, ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double tolerance = 1e-5, int[]? shape = null)
        where T : IFloatingPointIeee754<T>
    {
        CheckLengths(name, expected.Length, actual.Length);
        CheckFinite(name, expected, actual, shape);
        double error = RelativeL2Error(expected, actual);
        if (!(error <= tolerance))
        {
            Assert.Fail(Describe(name, "relative L2 error", error, tolerance, expected, actual, shape));
        }
    }

    /// <summary>Fails unless every value is finite and max |actual - expected| / max |expected| is at most <paramref name="tolerance"/>.</summary>
    public static void MaxAbsRelative<T>(string name, ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double tolerance = 1e-5, int[]? shape = null)
        where T : IFloatingPointIeee754<T>
    {
        CheckLengths(name, expected.Length, actual.Length);
        CheckFinite(name, expected, actual, shape);
        double error = MaxAbsRelativeError(expected, actual);
        if (!(error <= tolerance))
        {
            Assert.Fail(Describe(name, "max-abs relative error", error, tolerance, expected, actual, shape));
        }
    }

    /// <summary>Fails unless the tensors are bit-for-bit identical.</summary>
    public static void Identical(string name, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, int[]? shape = null)
    {
        CheckLengths(name, expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: not identical; first difference at {Index(i, shape)}: expected {expected[i]:R}, actual {actual[i]:R}"));
            }
        }
    }

    private static void CheckLengths(string name, int expected, int actual)
    {
        if (expected != actual)
        {
            Assert.Fail($"{name}: length {actual}, expected {expected}");
        }
    }

    private static void CheckFinite<T>(string name, ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, int[]? shape)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
        {
            if (T.IsFinite(expected[i]) && !T.IsFinite(actual[i]))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: non-finite value {actual[i]} at {Index(i, shape)} (expected {expected[i]})"));
            }
        }
    }

    private static string Describe<T>(string name, string metric, double error, double tolerance,
        ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, int[]? shape)
        where T : IFloatingPointIeee754<T>
    {
        int worst = 0;
        double worstDifference = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(double.CreateTruncating(actual[i]) - double.CreateTruncating(expected[i]));
            if (d > worstDifference)
            {
                worstDifference = d;
                worst = i;
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: {metric} {error:E3} exceeds {tolerance:E1} over {expected.Length} elements; worst at {Index(worst, shape)}: " +
            $"expected {expected[worst]}, actual {actual[worst]} (|difference| {worstDifference:E3})");
    }

    // The flat index as [i0, i1, ...] when the shape is known.
    private static string Index(int flat, int[]? shape)
    {
        if (shape is null || shape.Length == 0)
        {
            return "[" + flat.ToString(CultureInfo.InvariantCulture) + "]";
        }

        var parts = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            parts[d] = flat % shape[d];
            flat /= shape[d];
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}
