using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="GlobalAvgPool"/> against the naive mean.</summary>
public sealed unsafe class GlobalAvgPoolTests
{
    private static readonly Dictionary<string, (int Channels, int Spatial)> Shapes = new()
    {
        ["odd"] = (5, 49),
        ["one_pixel"] = (3, 1),
        ["xception_10x10"] = (19, 100),
    };

    public static TheoryData<string, int> Plain => TheoryCases.Of(Shapes.Keys);

    public static TheoryData<string, int, bool> Accumulating => TheoryCases.Of(Shapes.Keys, TheoryCases.Both);

    [Theory]
    [MemberData(nameof(Plain))]
    public void Forward(string shape, int batch)
    {
        (int channels, int spatial) = Shapes[shape];
        float[] x = TestTensors.Random(batch * channels * spatial, 1);
        float[] y = TestTensors.Initial(batch * channels, false, 0), expected = new float[y.Length];
        NaiveOps.GlobalAvgPoolForward<float>(x, expected, batch, channels, spatial);
        fixed (float* px = x, py = y)
        {
            GlobalAvgPool.Forward(px, py, batch, channels, spatial);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, channels]);
    }

    [Theory]
    [MemberData(nameof(Accumulating))]
    public void Backward(string shape, int batch, bool accumulate)
    {
        (int channels, int spatial) = Shapes[shape];
        float[] dy = TestTensors.Random(batch * channels, 1);
        float[] dx = TestTensors.Initial(batch * channels * spatial, accumulate, 2), expected = (float[])dx.Clone();
        NaiveOps.GlobalAvgPoolBackward<float>(dy, expected, batch, channels, spatial, accumulate);
        fixed (float* pdy = dy, pdx = dx)
        {
            GlobalAvgPool.Backward(pdy, pdx, batch, channels, spatial, accumulate);
        }

        TensorAssert.RelativeL2("dx", expected, dx, shape: [batch, channels, spatial]);
    }
}
