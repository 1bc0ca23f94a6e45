using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// <see cref="DoubleMath"/> is plain C#, so it runs on the host here against Math.Exp and Math.Log; the loss tests
/// run it on the CPU accelerator.
/// </summary>
public sealed class DoubleMathTests
{
    [Fact]
    public void ExpMatchesMathExpToAFewUlps()
    {
        var random = new Random(1);
        for (int i = 0; i < 20000; i++)
        {
            double x = (random.NextDouble() - 0.7) * 200;
            AssertClose(Math.Exp(x), DoubleMath.Exp(x), x);
        }

        foreach (double x in new[] { 0.0, -1e-300, 1e-17, 0.5 * Math.Log(2), -0.5 * Math.Log(2), 709.7, -708.5, -740.0 })
        {
            AssertClose(Math.Exp(x), DoubleMath.Exp(x), x);
        }

        Assert.Equal(0.0, DoubleMath.Exp(-800));
        Assert.Equal(double.PositiveInfinity, DoubleMath.Exp(710));
        Assert.Equal(0.0, DoubleMath.Exp(double.NegativeInfinity));
        Assert.True(double.IsNaN(DoubleMath.Exp(double.NaN)));
    }

    [Fact]
    public void LogMatchesMathLogToAFewUlps()
    {
        var random = new Random(2);
        for (int i = 0; i < 20000; i++)
        {
            double x = Math.Exp((random.NextDouble() - 0.5) * 100);
            AssertClose(Math.Log(x), DoubleMath.Log(x), x);
        }

        foreach (double x in new[] { 1.0, 1 + 1e-12, 1 - 1e-12, Math.Sqrt(2), 2.0, 1000.0, 1e-310, double.MaxValue })
        {
            AssertClose(Math.Log(x), DoubleMath.Log(x), x);
        }

        Assert.Equal(double.NegativeInfinity, DoubleMath.Log(0));
        Assert.Equal(double.PositiveInfinity, DoubleMath.Log(double.PositiveInfinity));
        Assert.True(double.IsNaN(DoubleMath.Log(-1)));
    }

    // A few ulps relative, or absolute near a zero of ln (ln(1 + 1e-12) is 1e-12 with an absolute error of ulp(1)).
    private static void AssertClose(double expected, double actual, double x)
    {
        double tolerance = 4e-16 * Math.Max(Math.Abs(expected), 1e-300) + (Math.Abs(expected) < 1 ? 2e-16 : 0);
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"at {x:R}: expected {expected:R}, actual {actual:R}");
    }
}
