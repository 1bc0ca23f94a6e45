using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="Elementwise"/> against the naive ops.</summary>
public sealed unsafe class ElementwiseTests
{
    public static TheoryData<int> Counts => ElementCounts.Plain;

    public static TheoryData<int, bool> CountsAndAccumulate => ElementCounts.WithAccumulate;

    [Theory]
    [MemberData(nameof(Counts))]
    public void Add(int count)
    {
        float[] a = TestTensors.Random(count, 1), b = TestTensors.Random(count, 2);
        float[] y = TestTensors.Initial(count, false, 0), expected = new float[count];
        NaiveOps.Add<float>(a, b, expected);
        fixed (float* pa = a, pb = b, py = y)
        {
            Elementwise.Add(pa, pb, py, count);
        }

        TensorAssert.Identical("y", expected, y);
    }

    [Theory]
    [MemberData(nameof(CountsAndAccumulate))]
    public void Copy(int count, bool accumulate)
    {
        float[] src = TestTensors.Random(count, 1);
        float[] dst = TestTensors.Initial(count, accumulate, 2), expected = (float[])dst.Clone();
        NaiveOps.Copy<float>(src, expected, accumulate);
        fixed (float* ps = src, pd = dst)
        {
            Elementwise.Copy(ps, pd, count, accumulate);
        }

        TensorAssert.Identical("dst", expected, dst);
    }
}
