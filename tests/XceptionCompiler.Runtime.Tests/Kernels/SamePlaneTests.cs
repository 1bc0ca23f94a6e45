using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="SamePlane"/> (column masks on planes as stored) computes every output with the same FMA chain as the
/// <see cref="PaddedGrid"/> path it replaces for 3 x 3 'same' shapes: runs of <see cref="DepthwiseRuns"/> equal,
/// bit for bit, the grid's rows for the same positions, whatever rows the run starts and ends in; so do those of
/// <see cref="PlaneSweep512"/>, which reads the plane in place, where AVX-512 is accelerated.
/// </summary>
public sealed unsafe class SamePlaneTests
{
    public static TheoryData<string, bool, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        bool[] inPlace = SimdPath.Widest == SimdWidth.Vector512 ? [false, true] : [false];
        foreach (string shape in DepthwiseTests.Shapes.Keys.Where(name => SamePlane.Applies(DepthwiseTests.Shapes[name])))
        {
            foreach (bool relu in TheoryCases.Both)
            {
                foreach (bool affine in TheoryCases.Both)
                {
                    foreach (bool sweep in inPlace)
                    {
                        data.Add(shape, relu, affine, sweep);
                    }
                }
            }
        }

        return data;
    }

    [Fact]
    public void AppliesToTheThreeByThreeSameShapesOnly()
    {
        Assert.True(SamePlane.Applies(DepthwiseTests.Shapes["xception_19x19"]));
        Assert.True(SamePlane.Applies(DepthwiseTests.Shapes["narrow_rows"]));
        Assert.False(SamePlane.Applies(DepthwiseTests.Shapes["valid_s1"]));
        Assert.False(SamePlane.Applies(DepthwiseTests.Shapes["symmetric_s2"]));
        Assert.False(SamePlane.Applies(DepthwiseTests.Shapes["k5_asymmetric"]));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RunsEqualTheGridPathBitForBit(string shape, bool relu, bool affine, bool inPlace)
    {
        DepthwiseShape s = DepthwiseTests.Shapes[shape];
        int inPlane = s.InHeight * s.InWidth, outputs = s.OutHeight * s.OutWidth, taps = s.Kernel * s.Kernel;
        float[] x = TestTensors.Random(s.Channels * inPlane, 1), w = TestTensors.Random(s.Channels * taps, 2);
        float[] scale = TestTensors.Random(s.Channels, 3), shift = TestTensors.Random(s.Channels, 4);
        // The whole plane, runs that start and end inside rows, a run inside one row, the last position alone (those
        // that a plane this small has).
        (int J, int Count)[] runs = new (int J, int Count)[] { (0, outputs), (s.OutWidth / 2, outputs - s.OutWidth), (s.OutWidth + 1, s.OutWidth - 2), (outputs - 1, 1) }
            .Where(run => run.Count > 0 && run.J + run.Count <= outputs).ToArray();
        fixed (float* px = x, pw = w, pScale = scale, pShift = shift)
        {
            ChannelAffine prologue = affine ? new ChannelAffine(pScale, pShift) : ChannelAffine.None;
            int* offsets = stackalloc int[taps];
            var produced = new DepthwiseRuns(s, relu, prologue, inPlace, offsets);
            for (int c = 0; c < s.Channels; c++)
            {
                foreach ((int j, int count) in runs)
                {
                    float[] expected = GridRun(s, px + c * inPlane, pw + c * taps, relu, affine ? scale[c] : 1f, affine ? shift[c] : 0f, affine, j, count);
                    float* run = produced.Compute(px + c * inPlane, c, pw + c * taps, j, count);
                    TensorAssert.Identical($"channel {c}, positions {j}..{j + count - 1}", expected, new ReadOnlySpan<float>(run, count));
                }
            }
        }
    }

    [Fact]
    public void InPlaceSweepGivesTheGridsBitsOnNegativeZeros()
    {
        // PlaneSweep512's ReLU keeps -0 where the band has +0 (see its Apply): no output may show it.
        if (SimdPath.Widest != SimdWidth.Vector512)
        {
            return;
        }

        DepthwiseShape s = DepthwiseTests.Shapes["xception_19x19"];
        int inPlane = s.InHeight * s.InWidth, taps = s.Kernel * s.Kernel;
        float[] x = TestTensors.Random(inPlane, 5), w = TestTensors.Random(taps, 6);
        // Every other value in the lower rows; all of them in the upper ones, whose outputs are then zeros.
        for (int i = 0; i < inPlane; i += i < inPlane / 2 ? 1 : 2)
        {
            x[i] = -0f;
        }

        fixed (float* px = x, pw = w)
        {
            int* offsets = stackalloc int[taps];
            var produced = new DepthwiseRuns(s, relu: true, ChannelAffine.None, inPlace: true, offsets);
            float[] expected = GridRun(s, px, pw, relu: true, 1f, 0f, affine: false, 0, inPlane);
            float* run = produced.Compute(px, 0, pw, 0, inPlane);
            TensorAssert.Identical("a plane of -0 and random values", expected, new ReadOnlySpan<float>(run, inPlane));
        }
    }

    // Positions j .. j+count-1 of one plane's output, computed on the padded grid row by row.
    private static float[] GridRun(in DepthwiseShape s, float* plane, float* w, bool relu, float scale, float shift, bool affine, int j, int count)
    {
        var grid = new PaddedGrid(s);
        var band = new float[grid.Floats];
        var rows = new float[Depthwise.RowsFloats(grid, s)];
        var offsets = new int[s.Kernel * s.Kernel];
        int row0 = j / s.OutWidth, row1 = (j + count - 1) / s.OutWidth + 1;
        int from = j - row0 * s.OutWidth, to = j + count - (row1 - 1) * s.OutWidth;
        fixed (float* pBand = band, pRows = rows)
        fixed (int* pOffsets = offsets)
        {
            Depthwise.TapOffsets(s.Kernel, grid.Width, pOffsets);
            Depthwise.ForwardRows(grid, s, plane, w, pOffsets, relu, affine, scale, shift, row0, row1, from, to, pBand, pRows);
        }

        var run = new List<float>(count);
        for (int oh = row0; oh < row1; oh++)
        {
            int first = oh == row0 ? from : 0, end = oh == row1 - 1 ? to : s.OutWidth;
            run.AddRange(rows.AsSpan((oh - row0) * grid.Width + first, end - first).ToArray());
        }

        return [.. run];
    }
}
