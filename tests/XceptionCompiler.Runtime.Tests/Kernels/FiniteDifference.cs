using XceptionCompiler.Reference;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// Central-difference gradients in double precision, to verify the naive backward ops (the oracle) against their
/// own forward ops. A scalar loss L = sum(probe * output) makes the backward input dy equal to the probe.
/// </summary>
internal static class FiniteDifference
{
    private const double Step = 1e-6;

    // Central differences in double have error ~1e-10 here; the bound leaves room without hiding a wrong formula.
    private const double Tolerance = 1e-6;

    /// <summary>dL/d input[i] for every i, perturbing <paramref name="input"/> in place (restored afterwards).</summary>
    public static double[] Gradient(double[] input, Func<double> loss)
    {
        var gradient = new double[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            double saved = input[i];
            input[i] = saved + Step;
            double plus = loss();
            input[i] = saved - Step;
            double minus = loss();
            input[i] = saved;
            gradient[i] = (plus - minus) / (2 * Step);
        }

        return gradient;
    }

    /// <summary>Fails unless <paramref name="analytic"/> matches the numerical gradient of loss with respect to input.</summary>
    public static void Check(string name, double[] input, Func<double> loss, double[] analytic) =>
        TensorAssert.RelativeL2(name, Gradient(input, loss), analytic, Tolerance);

    /// <summary>sum(probe * output): the loss whose output gradient is the probe.</summary>
    public static double Dot(double[] probe, double[] output)
    {
        double sum = 0;
        for (int i = 0; i < probe.Length; i++)
        {
            sum += probe[i] * output[i];
        }

        return sum;
    }

    /// <summary>Random double tensor in [-1, 1).</summary>
    public static double[] Random(int length, int seed) => TensorRandom.Uniform<double>(length, seed);

    /// <summary>
    /// Checks the accumulate convention of a backward op: running it with accumulate=true onto random values must
    /// give those values plus what it writes with accumulate=false.
    /// </summary>
    public static void CheckAccumulates(string name, int length, Action<double[], bool> backward)
    {
        var overwritten = new double[length];
        backward(overwritten, false);
        double[] start = Random(length, 999), accumulated = (double[])start.Clone();
        backward(accumulated, true);
        var expected = new double[length];
        for (int i = 0; i < length; i++)
        {
            expected[i] = start[i] + overwritten[i];
        }

        TensorAssert.RelativeL2(name + " (accumulated)", expected, accumulated, 1e-12);
    }
}
