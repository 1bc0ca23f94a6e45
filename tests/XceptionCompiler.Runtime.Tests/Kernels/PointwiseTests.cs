using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="Pointwise"/> against the naive 1x1 convolution.</summary>
public sealed unsafe class PointwiseTests
{
    private static readonly Dictionary<string, (int In, int Out, int Spatial)> Shapes = new()
    {
        ["tiny"] = (5, 7, 9),
        ["odd"] = (19, 33, 50),
        ["xception_19x19"] = (64, 40, 361),
        ["k_past_one_block"] = (300, 20, 17),
        ["m_past_one_block"] = (17, 140, 33),
        ["n_past_one_block"] = (8, 9, 600),
    };

    public static TheoryData<string, int> Plain => TheoryCases.Of(Shapes.Keys);

    public static TheoryData<string, int, bool> Accumulating => TheoryCases.Of(Shapes.Keys, TheoryCases.Both);

    [Theory]
    [MemberData(nameof(Plain))]
    public void Forward(string shape, int batch)
    {
        (int cin, int cout, int spatial) = Shapes[shape];
        float[] x = TestTensors.Random(batch * cin * spatial, 1), w = TestTensors.Random(cout * cin, 2);
        float[] y = TestTensors.Initial(batch * cout * spatial, false, 3), expected = new float[y.Length];
        NaiveOps.PointwiseForward<float>(x, w, expected, batch, cin, cout, spatial);
        fixed (float* px = x, pw = w, py = y)
        {
            Pointwise.Forward(px, pw, py, batch, cin, cout, spatial);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, cout, spatial]);
    }

    [Theory]
    [MemberData(nameof(Accumulating))]
    public void BackwardData(string shape, int batch, bool accumulate)
    {
        (int cin, int cout, int spatial) = Shapes[shape];
        float[] dy = TestTensors.Random(batch * cout * spatial, 1), w = TestTensors.Random(cout * cin, 2);
        float[] dx = TestTensors.Initial(batch * cin * spatial, accumulate, 3), expected = (float[])dx.Clone();
        NaiveOps.PointwiseBackwardData<float>(dy, w, expected, batch, cin, cout, spatial, accumulate);
        fixed (float* pdy = dy, pw = w, pdx = dx)
        {
            Pointwise.BackwardData(pdy, pw, pdx, batch, cin, cout, spatial, accumulate);
        }

        TensorAssert.RelativeL2("dx", expected, dx, shape: [batch, cin, spatial]);
    }

    [Theory]
    [MemberData(nameof(Plain))]
    public void BackwardWeights(string shape, int batch)
    {
        (int cin, int cout, int spatial) = Shapes[shape];
        float[] dy = TestTensors.Random(batch * cout * spatial, 1), x = TestTensors.Random(batch * cin * spatial, 2);
        float[] dw = TestTensors.Random(cout * cin, 3), expected = (float[])dw.Clone();
        NaiveOps.PointwiseBackwardWeights<float>(dy, x, expected, batch, cin, cout, spatial);
        fixed (float* pdy = dy, px = x, pdw = dw)
        {
            Pointwise.BackwardWeights(pdy, px, pdw, batch, cin, cout, spatial);
        }

        TensorAssert.RelativeL2("dw", expected, dw, shape: [cout, cin]);
    }
}
