using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="MaxPool"/> against the naive max pool, including PyTorch's tie and padding rules.</summary>
public sealed unsafe class MaxPoolTests
{
    private static readonly Dictionary<string, PoolShape> Shapes = new()
    {
        // timm's Xception: 3x3, stride 2, one cell of padding all round.
        ["symmetric_pad1"] = new(5, 9, 9, 5, 5, 3, 2, 1, 1),
        // Keras/MindCV 'same': no top/left padding, one cell at the bottom/right.
        ["tf_same"] = new(6, 10, 10, 5, 5, 3, 2, 0, 0),
        ["valid"] = new(3, 7, 8, 3, 3, 3, 2, 0, 0),
        ["s1_same"] = new(4, 6, 7, 6, 7, 3, 1, 1, 1),
        // Xception's block3 pool: 19 windows per row, more than one 16-window vector.
        ["xception_37"] = new(3, 37, 37, 19, 19, 3, 2, 1, 1),
    };

    public static TheoryData<string, int, bool> WithResidual => TheoryCases.Of(Shapes.Keys, TheoryCases.Both);

    // ties: inputs drawn from three integer levels, so most windows have several equal maxima.
    public static TheoryData<string, int, bool, bool> WithAccumulateAndTies => TheoryCases.Of(Shapes.Keys, TheoryCases.Both, TheoryCases.Both);

    [Theory]
    [MemberData(nameof(WithResidual))]
    public void Forward(string shape, int batch, bool residual)
    {
        // Stride-2 shapes take the 16-window AVX-512 pass on the Vector512 path, the scalar windows otherwise; a max
        // and one add are exact, so both equal the naive pool bit for bit. y has one guard float past the outputs.
        foreach (SimdWidth width in SimdWidths.Available)
        {
            using SimdPath.Scope path = SimdPath.Force(width);
            PoolShape s = Shapes[shape];
            float[] x = TestTensors.Random(batch * InSize(s), 1);
            float[] res = residual ? TestTensors.Random(batch * OutSize(s), 2) : [];
            float[] y = TestTensors.Initial(batch * OutSize(s) + 1, false, 0), expected = (float[])y.Clone();
            NaiveOps.MaxPoolForward<float>(x, expected.AsSpan(0, batch * OutSize(s)), batch, s, res);
            fixed (float* px = x, py = y, pr = res)
            {
                MaxPool.Forward(px, py, batch, s, pr);
            }

            TensorAssert.Identical($"y ({width})", expected, y);
        }
    }

    [Theory]
    [MemberData(nameof(WithAccumulateAndTies))]
    public void Backward(string shape, int batch, bool accumulate, bool ties)
    {
        // Stride-2 shapes take the 16-window AVX-512 rows on the Vector512 path, the scalar rows otherwise.
        foreach (SimdWidth width in SimdWidths.Available)
        {
            using SimdPath.Scope path = SimdPath.Force(width);
            CheckBackward(shape, batch, accumulate, ties);
        }
    }

    private static void CheckBackward(string shape, int batch, bool accumulate, bool ties)
    {
        PoolShape s = Shapes[shape];
        float[] x = ties ? TensorRandom.Integers(batch * InSize(s), 1, 3) : TestTensors.Random(batch * InSize(s), 1);
        float[] dy = TestTensors.Random(batch * OutSize(s), 2);
        float[] dx = TestTensors.Initial(x.Length, accumulate, 3), expected = (float[])dx.Clone();
        NaiveOps.MaxPoolBackward<float>(dy, x, expected, batch, s, accumulate);
        fixed (float* pdy = dy, px = x, pdx = dx)
        {
            MaxPool.Backward(pdy, px, pdx, batch, s, accumulate);
        }

        TensorAssert.RelativeL2("dx", expected, dx, shape: [batch, s.Channels, s.InHeight, s.InWidth]);
    }

    [Fact]
    public void TiesGoToTheFirstMaximumInRowMajorOrder()
    {
        // One 2x3 window of equal values but for a later, equal pair: the gradient must land on cell (0, 1).
        var s = new PoolShape(1, 2, 3, 1, 1, 3, 1, 0, 0);
        float[] x = [0, 7, 7, 3, 7, 1];
        float[] dy = [1];
        float[] expected = [0, 1, 0, 0, 0, 0];
        float[] naive = new float[6], kernel = new float[6];
        NaiveOps.MaxPoolBackward<float>(dy, x, naive, 1, s, accumulate: false);
        fixed (float* pdy = dy, px = x, pdx = kernel)
        {
            MaxPool.Backward(pdy, px, pdx, 1, s, accumulate: false);
        }

        TensorAssert.Identical("naive dx", expected, naive);
        TensorAssert.Identical("kernel dx", expected, kernel);
    }

    [Fact]
    public void PaddingNeverWins()
    {
        // All inputs negative: a zero-padded pool would output 0 at the borders; -infinity padding keeps the input's max.
        var s = Shapes["symmetric_pad1"];
        float[] x = TensorRandom.Uniform(InSize(s), 1, -3, -1);
        float[] y = new float[OutSize(s)], naive = new float[OutSize(s)];
        NaiveOps.MaxPoolForward<float>(x, naive, 1, s, []);
        fixed (float* px = x, py = y)
        {
            MaxPool.Forward(px, py, 1, s, null);
        }

        Assert.All(naive, v => Assert.True(v < 0, $"naive max pool output {v} is not negative"));
        Assert.All(y, v => Assert.True(v < 0, $"kernel max pool output {v} is not negative"));
        TensorAssert.Identical("y", naive, y);
    }

    private static int InSize(in PoolShape s) => s.Channels * s.InHeight * s.InWidth;

    private static int OutSize(in PoolShape s) => s.Channels * s.OutHeight * s.OutWidth;
}
