using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="VectorRows.AffineRelu"/> is compiled once per choice of affine map, residual and ReLU; each of the eight
/// gives, bit for bit, the scalar definition: FMA(x, scale, shift) or x, plus the residual, then max(., 0). Lengths
/// cover no vector, one, a tail under a vector (run as an overlapping last vector) and several vectors; the map runs
/// both into another buffer and in place (where the overlapping last vector must not apply it twice).
/// </summary>
public sealed unsafe class VectorRowsTests
{
    private const float Scale = 0.75f, Shift = -0.125f;

    public static TheoryData<int, bool, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool, bool, bool>();
        foreach (int count in new[] { 3, 8, 19, 37 })
        {
            foreach (bool affine in TheoryCases.Both)
            {
                foreach (bool residual in TheoryCases.Both)
                {
                    foreach (bool relu in TheoryCases.Both)
                    {
                        foreach (bool inPlace in TheoryCases.Both)
                        {
                            data.Add(count, affine, residual, relu, inPlace);
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AffineReluEqualsItsScalarDefinition(int count, bool affine, bool residual, bool relu, bool inPlace)
    {
        float[] x = TestTensors.Random(count, 1), r = TestTensors.Random(count, 2);
        var expected = new float[count];
        for (int i = 0; i < count; i++)
        {
            float v = affine ? MathF.FusedMultiplyAdd(x[i], Scale, Shift) : x[i];
            v = residual ? v + r[i] : v;
            expected[i] = relu ? MathF.Max(v, 0f) : v;
        }

        float[] y = inPlace ? x : TestTensors.Random(count, 3);
        fixed (float* px = x, pr = r, py = y)
        {
            VectorRows.AffineRelu(px, py, count, relu, affine, Scale, Shift, residual ? pr : null);
        }

        TensorAssert.Identical($"AffineRelu (affine {affine}, residual {residual}, ReLU {relu}, in place {inPlace})", expected, y);
    }
}
