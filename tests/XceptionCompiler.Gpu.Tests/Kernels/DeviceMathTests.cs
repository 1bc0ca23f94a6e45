using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// The FMA the kernels use off CUDA (and keep, dead, in their PTX) must round exactly as MathF.FusedMultiplyAdd, which
/// the CPU kernels use: otherwise a ReLU mask read through the folded batch norm could flip near zero.
/// </summary>
public sealed class DeviceMathTests
{
    [Fact]
    public void ExactFmaRoundsOnceLikeMathF()
    {
        var random = new Random(71);
        for (int i = 0; i < 200_000; i++)
        {
            float a = RandomFloat(random), b = RandomFloat(random);
            // Half the cases put c near -a * b, where cancellation and double rounding bite.
            float c = i % 2 == 0 ? RandomFloat(random) : -(a * b) * (1f + ((float)random.NextDouble() - 0.5f) * 1e-6f);
            AssertSame(a, b, c);
        }
    }

    [Fact]
    public void ExactFmaDoesNotRoundTwiceAtFloatMidpoints()
    {
        // a * b = 1 - i^2 2^-46 and c = 2^24 + 2j (float spacing 2 there): the exact sum lies just below the float
        // midpoint c + 1, so it rounds to c; a plain double sum rounds onto the midpoint first, and then ties to even,
        // which is c + 2 for every odd j.
        var random = new Random(72);
        for (int k = 0; k < 10_000; k++)
        {
            int i = random.Next(1, 256);
            float a = 1f + (i * MathF.Pow(2, -23)), b = 1f - (i * MathF.Pow(2, -23));
            float c = 16777216f + (2 * random.Next(0, 1 << 23));
            AssertSame(a, b, c);
        }
    }

    [Theory]
    // The first case of the midpoint family: the exact 16777219 - 2^-46 must round to 16777218.
    [InlineData(1.00000012f, 0.99999988f, 16777218f)]
    [InlineData(16777215f, 16777217f, -2.8147493e14f)]
    [InlineData(-3.40282347e38f, 1.0000001f, 3.40282347e38f)]
    [InlineData(1e-20f, 1e-20f, 1e-45f)]
    [InlineData(0.1f, 10f, -1f)]
    public void ExactFmaHandlesEdgeCases(float a, float b, float c) => AssertSame(a, b, c);

    [Theory]
    [InlineData(-7, 2, -4)]
    [InlineData(-6, 2, -3)]
    [InlineData(-1, 3, -1)]
    [InlineData(0, 3, 0)]
    [InlineData(5, 2, 2)]
    public void FloorDivRoundsDown(int a, int b, int expected) => Assert.Equal(expected, DeviceMath.FloorDiv(a, b));

    private static void AssertSame(float a, float b, float c)
    {
        float expected = MathF.FusedMultiplyAdd(a, b, c), actual = DeviceMath.ExactFma(a, b, c);
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"fma({a:R}, {b:R}, {c:R}): MathF {expected:R}, emulation {actual:R}");
    }

    // Any finite float, log-uniform in magnitude, so products and sums span many exponents.
    private static float RandomFloat(Random random) =>
        (random.Next(2) == 0 ? 1 : -1) * (float)Math.Pow(2, (random.NextDouble() * 60) - 30) * (1 + (float)random.NextDouble());
}
