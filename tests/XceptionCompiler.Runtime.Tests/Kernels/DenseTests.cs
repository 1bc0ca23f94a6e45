using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="Dense"/> against the naive fully connected layer, with and without bias and input gradient.</summary>
public sealed unsafe class DenseTests
{
    private static readonly Dictionary<string, (int In, int Out)> Shapes = new()
    {
        ["tiny"] = (7, 5),
        ["classifier_like"] = (300, 70),
    };

    public static TheoryData<string, int, bool> WithBias => TheoryCases.Of(Shapes.Keys, TheoryCases.Both);

    // inputGradient: 0 skipped (dx null), 1 overwritten, 2 accumulated.
    public static TheoryData<string, int, bool, int> WithBiasAndInputGradient()
    {
        var data = new TheoryData<string, int, bool, int>();
        foreach (var row in TheoryCases.Of(Shapes.Keys, TheoryCases.Both))
        {
            for (int mode = 0; mode < 3; mode++)
            {
                data.Add((string)row[0], (int)row[1], (bool)row[2], mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WithBias))]
    public void Forward(string shape, int batch, bool bias)
    {
        (int inFeatures, int outFeatures) = Shapes[shape];
        float[] x = TestTensors.Random(batch * inFeatures, 1), w = TestTensors.Random(outFeatures * inFeatures, 2);
        float[] b = bias ? TestTensors.Random(outFeatures, 3) : [];
        float[] y = TestTensors.Initial(batch * outFeatures, false, 0), expected = new float[y.Length];
        NaiveOps.DenseForward<float>(x, w, b, expected, batch, inFeatures, outFeatures);
        fixed (float* px = x, pw = w, pb = b, py = y)
        {
            Dense.Forward(px, pw, pb, py, batch, inFeatures, outFeatures);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, outFeatures]);
    }

    [Theory]
    [MemberData(nameof(WithBiasAndInputGradient))]
    public void Backward(string shape, int batch, bool bias, int inputGradient)
    {
        (int inFeatures, int outFeatures) = Shapes[shape];
        bool accumulate = inputGradient == 2;
        float[] dy = TestTensors.Random(batch * outFeatures, 1), x = TestTensors.Random(batch * inFeatures, 2), w = TestTensors.Random(outFeatures * inFeatures, 3);
        float[] dx = inputGradient == 0 ? [] : TestTensors.Initial(batch * inFeatures, accumulate, 4), expectedDx = (float[])dx.Clone();
        float[] dw = TestTensors.Random(w.Length, 5), expectedDw = (float[])dw.Clone();
        float[] db = bias ? TestTensors.Random(outFeatures, 6) : [], expectedDb = (float[])db.Clone();
        NaiveOps.DenseBackward<float>(dy, x, w, expectedDx, expectedDw, expectedDb, batch, inFeatures, outFeatures, accumulate);
        fixed (float* pdy = dy, px = x, pw = w, pdx = dx, pdw = dw, pdb = db)
        {
            Dense.Backward(pdy, px, pw, pdx, pdw, pdb, batch, inFeatures, outFeatures, accumulate);
        }

        TensorAssert.RelativeL2("dx", expectedDx, dx, shape: [batch, inFeatures]);
        TensorAssert.RelativeL2("dw", expectedDw, dw, shape: [outFeatures, inFeatures]);
        TensorAssert.RelativeL2("db", expectedDb, db);
    }
}
