using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="DepthwisePanels"/> writes the panels that packing the depthwise output would: bit for bit those of
/// <see cref="Depthwise.Forward"/>'s output, and close to those of the naive convolution, for runs that start and end
/// inside output rows and panels, cross images and leave channels out.
/// </summary>
public sealed unsafe class DepthwisePanelsTests
{
    private const int Batch = 2;

    public static TheoryData<string, bool, bool, SimdWidth> Cases()
    {
        var data = new TheoryData<string, bool, bool, SimdWidth>();
        foreach (string shape in DepthwiseTests.Shapes.Keys)
        {
            foreach (bool relu in TheoryCases.Both)
            {
                foreach (bool affine in TheoryCases.Both)
                {
                    foreach (SimdWidth width in SimdWidths.Available)
                    {
                        data.Add(shape, relu, affine, width);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PanelsEqualThePackedDepthwiseOutput(string shape, bool relu, bool affine, SimdWidth width)
    {
        DepthwiseShape s = DepthwiseTests.Shapes[shape];
        int spatial = s.OutHeight * s.OutWidth, inPlane = s.InHeight * s.InWidth;
        float[] x = TestTensors.Random(Batch * s.Channels * inPlane, 1), w = TestTensors.Random(s.Channels * s.Kernel * s.Kernel, 2);
        float[] scale = TestTensors.Random(s.Channels, 3), shift = TestTensors.Random(s.Channels, 4);
        float[] stored = new float[Batch * s.Channels * spatial], naive = new float[stored.Length];
        // The naive convolution sees the prologue's output as its input.
        float[] normalized = affine ? TestTensors.ThroughAffine(x, scale, shift, inPlane) : x;
        NaiveOps.DepthwiseForward<float>(normalized, w, naive, Batch, s, relu);
        // The panels are as wide as the register tile of the path.
        int columns;
        using (SimdPath.Force(width))
        {
            columns = GemmMicroKernels.Columns(GemmMicroKernels.Current);
        }

        fixed (float* px = x, pw = w, pScale = scale, pShift = shift, pStored = stored, pNaive = naive)
        {
            ChannelAffine prologue = affine ? new ChannelAffine(pScale, pShift) : ChannelAffine.None;
            Depthwise.Forward(px, pw, pStored, Batch, s, relu, prologue);
            foreach ((int pc, int kc) in new[] { (0, s.Channels), (1, s.Channels - 2) })
            {
                float[] produced = PanelFill.Fill(new DepthwisePanels(px, pw, s, relu, prologue), Batch, spatial, pc, kc, columns);
                float[] expected = PanelFill.Fill(new MatrixPanels(pStored, spatial, false, (long)s.Channels * spatial), Batch, spatial, pc, kc, columns);
                float[] reference = PanelFill.Fill(new MatrixPanels(pNaive, spatial, false, (long)s.Channels * spatial), Batch, spatial, pc, kc, columns);
                TensorAssert.Identical($"panels of channels {pc}..{pc + kc - 1} against Depthwise.Forward's output", expected, produced);
                TensorAssert.RelativeL2($"panels of channels {pc}..{pc + kc - 1} against the naive output", PanelFill.Written(reference), PanelFill.Written(produced));
            }
        }
    }
}
