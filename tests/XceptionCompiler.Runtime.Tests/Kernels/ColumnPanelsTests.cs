using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="ColumnPanels"/> writes exactly the panels that packing the whole column matrix (built here from its
/// definition) would, and its transpose's, for runs that start and end inside output rows and panels, cross images
/// and leave taps or output positions out.
/// </summary>
public sealed unsafe class ColumnPanelsTests
{
    private const int Batch = 2;

    public static TheoryData<string, bool, SimdWidth> Cases() => SimdWidths.Each(
        Conv2dTests.Shapes.Keys.SelectMany(shape => TheoryCases.Both.Select(relu => (shape, relu))));

    [Theory]
    [MemberData(nameof(Cases))]
    public void PanelsEqualThePackedColumnMatrix(string shape, bool relu, SimdWidth width)
    {
        ConvShape s = Conv2dTests.Shapes[shape];
        int taps = s.InChannels * s.KernelHeight * s.KernelWidth, positions = s.OutHeight * s.OutWidth;
        float[] x = TestTensors.Random(Batch * s.InChannels * s.InHeight * s.InWidth, 1);
        float[] cols = ColumnMatrixOf(x, s, relu);
        using var path = SimdPath.Force(width);
        int columns = GemmMicroKernels.Columns(GemmMicroKernels.Current);
        fixed (float* px = x, pCols = cols)
        {
            long imageCols = (long)taps * positions;
            foreach ((int pc, int kc) in new[] { (0, taps), (1, taps - 2) })
            {
                float[] expected = PanelFill.Fill(new MatrixPanels(pCols, positions, false, imageCols), Batch, positions, pc, kc, columns);
                float[] produced = PanelFill.Fill(new ColumnPanels(px, s, relu, transposed: false), Batch, positions, pc, kc, columns);
                TensorAssert.Identical($"panels of taps {pc}..{pc + kc - 1}", expected, produced);
            }

            foreach ((int pc, int kc) in new[] { (0, positions), (3, positions - 5) })
            {
                float[] expected = PanelFill.Fill(new MatrixPanels(pCols, positions, true, imageCols), Batch, taps, pc, kc, columns);
                float[] produced = PanelFill.Fill(new ColumnPanels(px, s, relu, transposed: true), Batch, taps, pc, kc, columns);
                TensorAssert.Identical($"transposed panels of positions {pc}..{pc + kc - 1}", expected, produced);
            }
        }
    }

    // cols[n][(c*KH + kh)*KW + kw, oh*OW + ow] = f(x[n, c, oh*S - PT + kh, ow*S - PL + kw]), zero in the padding.
    private static float[] ColumnMatrixOf(float[] x, in ConvShape s, bool relu)
    {
        int taps = s.InChannels * s.KernelHeight * s.KernelWidth, positions = s.OutHeight * s.OutWidth;
        var cols = new float[Batch * taps * positions];
        for (int n = 0; n < Batch; n++)
        {
            for (int c = 0; c < s.InChannels; c++)
            {
                for (int kh = 0; kh < s.KernelHeight; kh++)
                {
                    for (int kw = 0; kw < s.KernelWidth; kw++)
                    {
                        int tap = (c * s.KernelHeight + kh) * s.KernelWidth + kw;
                        for (int oh = 0; oh < s.OutHeight; oh++)
                        {
                            for (int ow = 0; ow < s.OutWidth; ow++)
                            {
                                int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
                                bool inside = ih >= 0 && ih < s.InHeight && iw >= 0 && iw < s.InWidth;
                                float v = inside ? x[((n * s.InChannels + c) * s.InHeight + ih) * s.InWidth + iw] : 0f;
                                cols[((long)n * taps + tap) * positions + oh * s.OutWidth + ow] = relu ? MathF.Max(v, 0f) : v;
                            }
                        }
                    }
                }
            }
        }

        return cols;
    }
}
