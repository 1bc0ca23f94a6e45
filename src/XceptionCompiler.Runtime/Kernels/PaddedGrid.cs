namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The zero-padded input grid of a depthwise convolution: wide and tall enough for every input cell and every
/// window, so kernels index it without bounds checks. On this grid, at stride 1, output (oh, ow) sits at flat index
/// oh*Width + ow and its tap (kh, kw) at that index + kh*Width + kw: the 2-D convolution becomes a 1-D one with
/// K*K fixed offsets, computed on whole grid rows (the Width - OW extra columns per row are computed and dropped).
/// </summary>
internal readonly struct PaddedGrid
{
    public PaddedGrid(in DepthwiseShape s)
    {
        Height = Math.Max(s.PadTop + s.InHeight, (s.OutHeight - 1) * s.Stride + s.Kernel);
        Width = Math.Max(s.PadLeft + s.InWidth, (s.OutWidth - 1) * s.Stride + s.Kernel);
        // A 1-D sweep reads up to K - 1 cells past the last row plus its overrun.
        Slack = s.Kernel + OffsetSweep.Overrun;
        // Leading zeros that let the transposed sweep (backward data) read K - 1 rows and columns before index 0.
        Lead = (s.Kernel - 1) * (Width + 1);
    }

    /// <summary>Rows of the grid.</summary>
    public int Height { get; }

    /// <summary>Columns of the grid (the row pitch).</summary>
    public int Width { get; }

    /// <summary>Zero floats kept after the grid for vector overrun.</summary>
    public int Slack { get; }

    /// <summary>Zero floats kept before the grid by <see cref="Scatter"/>.</summary>
    public int Lead { get; }

    /// <summary>Floats a buffer for <see cref="Scatter"/> of the whole grid needs.</summary>
    public long Floats => BandFloats(Height);

    /// <summary>Floats a buffer for <see cref="Scatter"/> of the grid's first <paramref name="gridRows"/> rows needs.</summary>
    public long BandFloats(int gridRows) => Lead + (long)gridRows * Width + Slack;

    /// <summary>
    /// Zeroes <paramref name="buffer"/> (<see cref="BandFloats"/>(<paramref name="gridRows"/>) long) and copies a
    /// rows x columns plane into the grid at (top, left), through x * scale + shift when <paramref name="affine"/> and
    /// then ReLU when <paramref name="relu"/>. A band (fewer rows than <see cref="Height"/>) holds the rows a few output
    /// rows read. Returns the grid origin (buffer + Lead).
    /// </summary>
    public unsafe float* Scatter(float* plane, int rows, int columns, int top, int left, int gridRows, bool relu, float* buffer,
        bool affine = false, float scale = 1f, float shift = 0f)
    {
        new Span<float>(buffer, (int)BandFloats(gridRows)).Clear();
        float* origin = buffer + Lead;
        for (int r = 0; r < rows; r++)
        {
            VectorRows.AffineRelu(plane + (long)r * columns, origin + (long)(top + r) * Width + left, columns, relu, affine, scale, shift);
        }

        return origin;
    }
}
