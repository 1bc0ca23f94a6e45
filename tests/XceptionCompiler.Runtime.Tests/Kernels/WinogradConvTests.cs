using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="WinogradConv"/> called directly, against the naive convolution and its data gradient, on shapes <see cref="Conv2d"/> does not
/// send to it (few or many input channels, wide padding), and which convolutions it is chosen for. The shapes
/// <see cref="Conv2d"/> does send to it are covered through <see cref="Conv2dTests"/> and OutputEpilogueTests.
/// </summary>
public sealed unsafe class WinogradConvTests
{
    private static readonly Dictionary<string, ConvShape> Shapes = new()
    {
        // Three input channels, 'valid', one tile row of one output row.
        ["rgb_valid"] = new(3, 3, 9, 5, 1, 7, 3, 3, 1, 0, 0),
        // Two rows and columns of padding on each side: tiles whose windows lie partly or wholly in the padding.
        ["pad_two"] = new(4, 5, 6, 9, 7, 8, 3, 3, 1, 2, 2),
        // Top/left padding only ('same' for the output size, none at the bottom/right).
        ["pad_top_left"] = new(6, 7, 40, 8, 6, 39, 3, 3, 1, 1, 1),
        // More input channels than Conv2d sends here (one slice of 300 steps in the products).
        ["many_channels"] = new(300, 5, 5, 16, 5, 5, 3, 3, 1, 1, 1),
    };

    public static TheoryData<string, int, bool> Cases => TheoryCases.Of(Shapes.Keys, TheoryCases.Both);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheNaiveConvolution(string shape, int batch, bool relu)
    {
        ConvShape s = Shapes[shape];
        float[] x = TestTensors.Random(batch * Conv2dTests.InSize(s), 1);
        float[] w = TestTensors.Random(Conv2dTests.WeightSize(s), 2);
        float[] xBefore = (float[])x.Clone();
        float[] y = TestTensors.Initial(batch * Conv2dTests.OutSize(s), false, 3), expected = new float[y.Length];
        NaiveOps.Conv2dForward<float>(x, w, expected, batch, s, relu);
        fixed (float* px = x, pw = w, py = y)
        {
            WinogradConv.Forward(px, pw, py, batch, s, relu, OutputEpilogue.None);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, s.OutChannels, s.OutHeight, s.OutWidth]);
        TensorAssert.Identical("x (must not be modified by the ReLU prologue)", xBefore, x);
    }

    public static TheoryData<string, int, bool, bool> GradientCases => TheoryCases.Of(Shapes.Keys, TheoryCases.Both, TheoryCases.Both);

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void BackwardDataMatchesTheNaiveGradient(string shape, int batch, bool relu, bool accumulate)
    {
        ConvShape s = Shapes[shape];
        float[] dy = TestTensors.Random(batch * Conv2dTests.OutSize(s), 1), w = TestTensors.Random(Conv2dTests.WeightSize(s), 2);
        float[] x = TestTensors.Random(batch * Conv2dTests.InSize(s), 3);
        float[] dx = TestTensors.Initial(x.Length, accumulate, 4), expected = (float[])dx.Clone();
        NaiveOps.Conv2dBackwardData<float>(dy, w, x, expected, batch, s, relu, accumulate);
        fixed (float* pdy = dy, pw = w, px = x, pdx = dx)
        {
            WinogradConv.BackwardData(pdy, pw, px, pdx, batch, s, relu, accumulate);
        }

        TensorAssert.RelativeL2("dx", expected, dx, shape: [batch, s.InChannels, s.InHeight, s.InWidth]);
    }

    [Fact]
    public void WritesNothingOutsideTheOutput()
    {
        // 73 columns: the last chunk's stores are masked at column 73, and the last tile row has one output row.
        var s = new ConvShape(16, 5, 75, 8, 3, 73, 3, 3, 1, 0, 0);
        int outFloats = Conv2dTests.OutSize(s);
        const int guard = 64;
        float[] x = TestTensors.Random(Conv2dTests.InSize(s), 1), w = TestTensors.Random(Conv2dTests.WeightSize(s), 2);
        float[] y = new float[outFloats + 2 * guard];
        Array.Fill(y, 12345f);
        fixed (float* px = x, pw = w, py = y)
        {
            WinogradConv.Forward(px, pw, py + guard, 1, s, reluInput: false, OutputEpilogue.None);
        }

        Assert.All(y[..guard], value => Assert.Equal(12345f, value));
        Assert.All(y[(guard + outFloats)..], value => Assert.Equal(12345f, value));
    }

    [Fact]
    public void IsChosenForDense3x3StrideOneConvolutionsOnTheAvx512Path()
    {
        var stem = new ConvShape(32, 149, 149, 64, 147, 147, 3, 3, 1, 0, 0);
        Assert.Equal(SimdPath.Widest == SimdWidth.Vector512, WinogradConv.Applies(stem));
        Assert.False(WinogradConv.Applies(stem with { Stride = 2, OutHeight = 74, OutWidth = 74 }));
        Assert.False(WinogradConv.Applies(stem with { KernelHeight = 1, KernelWidth = 1 }));
        Assert.False(WinogradConv.Applies(stem with { InChannels = 3 }));
        // The data gradient's input is dy: its 64 channels decide, and padding past 2 has no correlation form.
        Assert.Equal(SimdPath.Widest == SimdWidth.Vector512, WinogradConv.AppliesToBackwardData(stem with { InChannels = 3 }));
        Assert.False(WinogradConv.AppliesToBackwardData(stem with { OutChannels = 8 }));
        Assert.False(WinogradConv.AppliesToBackwardData(stem with { PadTop = 3, OutHeight = 153 }));
        using var path = SimdPath.Force(SimdWidth.Vector256);
        Assert.False(WinogradConv.Applies(stem));
        Assert.False(WinogradConv.AppliesToBackwardData(stem));
    }

    [Fact]
    public void RejectsOtherKernels()
    {
        var s = new ConvShape(16, 5, 5, 8, 5, 5, 1, 1, 1, 0, 0);
        Assert.Throws<ArgumentException>(() => WinogradConv.Forward(null, null, null, 1, s, false, OutputEpilogue.None));
        Assert.Throws<ArgumentException>(() => WinogradConv.BackwardData(null, null, null, null, 1, s, false, false));
    }
}
