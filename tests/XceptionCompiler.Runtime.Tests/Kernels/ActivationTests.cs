using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="Activation"/> against the naive ReLU.</summary>
public sealed unsafe class ActivationTests
{
    public static TheoryData<int> Counts => ElementCounts.Plain;

    public static TheoryData<int, bool> CountsAndAccumulate => ElementCounts.WithAccumulate;

    [Theory]
    [MemberData(nameof(Counts))]
    public void ReluForward(int count)
    {
        float[] x = TestTensors.Random(count, 1);
        float[] y = TestTensors.Initial(count, false, 0), expected = new float[count];
        NaiveOps.ReluForward<float>(x, expected);
        fixed (float* px = x, py = y)
        {
            Activation.ReluForward(px, py, count);
        }

        TensorAssert.Identical("y", expected, y);
    }

    [Theory]
    [MemberData(nameof(CountsAndAccumulate))]
    public void ReluBackward(int count, bool accumulate)
    {
        float[] dy = TestTensors.Random(count, 1), y = new float[count];
        NaiveOps.ReluForward<float>(TestTensors.Random(count, 2), y);
        float[] dx = TestTensors.Initial(count, accumulate, 3), expected = (float[])dx.Clone();
        NaiveOps.ReluBackward<float>(dy, y, expected, accumulate);
        fixed (float* pdy = dy, py = y, pdx = dx)
        {
            Activation.ReluBackward(pdy, py, pdx, count, accumulate);
        }

        TensorAssert.RelativeL2("dx", expected, dx);
    }
}
