using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="Dropout"/>: the mask's statistics and determinism, and the kernels against the naive ops.</summary>
public sealed unsafe class DropoutTests
{
    private const int Count = 40_000;

    public static TheoryData<float> Probabilities => new() { 0f, 0.3f, 0.5f };

    public static TheoryData<float, bool> ProbabilitiesAndAccumulate => new() { { 0f, false }, { 0.3f, false }, { 0.5f, true }, { 0.5f, false } };

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void KeepsAboutOneMinusPOfTheElements(float p)
    {
        int kept = Enumerable.Range(0, Count).Count(i => Dropout.Keeps(42, i, p));
        // Binomial standard deviation is at most 100 at this count; allow five of them.
        Assert.InRange(kept, (int)((1 - p) * Count) - 500, (int)((1 - p) * Count) + 500);
    }

    [Fact]
    public void MaskIsAPureFunctionOfSeedAndIndex()
    {
        bool[] first = Enumerable.Range(0, 1000).Select(i => Dropout.Keeps(7, i, 0.5f)).ToArray();
        bool[] again = Enumerable.Range(0, 1000).Select(i => Dropout.Keeps(7, i, 0.5f)).ToArray();
        bool[] other = Enumerable.Range(0, 1000).Select(i => Dropout.Keeps(8, i, 0.5f)).ToArray();
        Assert.Equal(first, again);
        int agreements = first.Zip(other).Count(pair => pair.First == pair.Second);
        Assert.InRange(agreements, 400, 600);
    }

    [Theory]
    [MemberData(nameof(Probabilities))]
    public void Forward(float p)
    {
        float[] x = TestTensors.Random(Count, 1);
        float[] y = TestTensors.Initial(Count, false, 0), expected = new float[Count];
        NaiveOps.DropoutForward<float>(x, expected, p, 1234);
        fixed (float* px = x, py = y)
        {
            Dropout.Forward(px, py, Count, p, 1234);
        }

        TensorAssert.RelativeL2("y", expected, y);
    }

    [Theory]
    [MemberData(nameof(ProbabilitiesAndAccumulate))]
    public void Backward(float p, bool accumulate)
    {
        float[] dy = TestTensors.Random(Count, 1);
        float[] dx = TestTensors.Initial(Count, accumulate, 2), expected = (float[])dx.Clone();
        NaiveOps.DropoutBackward<float>(dy, expected, p, 99, accumulate);
        fixed (float* pdy = dy, pdx = dx)
        {
            Dropout.Backward(pdy, pdx, Count, p, 99, accumulate);
        }

        TensorAssert.RelativeL2("dx", expected, dx);
    }
}
