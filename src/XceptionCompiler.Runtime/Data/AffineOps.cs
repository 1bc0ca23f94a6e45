namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// The geometric operations of AutoAugment, with PIL's conventions: the output keeps the input's size, each output
/// pixel centre (x + 0.5, y + 0.5) is mapped back into the input by an affine matrix, and points that land outside
/// the input take the fill colour.
/// </summary>
public static class AffineOps
{
    /// <summary>Shears along x: output (x, y) reads input (x + factor * y, y).</summary>
    public static void ShearX(PixelImage image, double factor, Interpolation interpolation, ReadOnlySpan<byte> fill, TransformScratch scratch) =>
        Warp(image, 1, factor, 0, 0, 1, 0, interpolation, fill, scratch);

    /// <summary>Shears along y: output (x, y) reads input (x, factor * x + y).</summary>
    public static void ShearY(PixelImage image, double factor, Interpolation interpolation, ReadOnlySpan<byte> fill, TransformScratch scratch) =>
        Warp(image, 1, 0, 0, factor, 1, 0, interpolation, fill, scratch);

    /// <summary>Shifts the content left by <paramref name="pixels"/> (right when negative), like PIL's translate with (1, 0, pixels, 0, 1, 0).</summary>
    public static void TranslateX(PixelImage image, double pixels, Interpolation interpolation, ReadOnlySpan<byte> fill, TransformScratch scratch) =>
        Warp(image, 1, 0, pixels, 0, 1, 0, interpolation, fill, scratch);

    /// <summary>Shifts the content up by <paramref name="pixels"/> (down when negative).</summary>
    public static void TranslateY(PixelImage image, double pixels, Interpolation interpolation, ReadOnlySpan<byte> fill, TransformScratch scratch) =>
        Warp(image, 1, 0, 0, 0, 1, pixels, interpolation, fill, scratch);

    /// <summary>Rotates the content counter-clockwise by <paramref name="degrees"/> about the image centre (PIL's Image.rotate).</summary>
    public static void Rotate(PixelImage image, double degrees, Interpolation interpolation, ReadOnlySpan<byte> fill, TransformScratch scratch)
    {
        var t = degrees * Math.PI / 180.0;
        double cos = Math.Cos(t), sin = Math.Sin(t);
        double cx = image.Width / 2.0, cy = image.Height / 2.0;
        // input = R(-t) * (output - centre) + centre, in y-down coordinates.
        Warp(image, cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, interpolation, fill, scratch);
    }

    /// <summary>
    /// Output (x, y) reads input (a X + b Y + c, d X + e Y + f) with X = x + 0.5, Y = y + 0.5. Nearest, bilinear
    /// and bicubic sampling; area sampling is treated as bilinear (it only differs when shrinking).
    /// </summary>
    public static void Warp(PixelImage image, double a, double b, double c, double d, double e, double f,
        Interpolation interpolation, ReadOnlySpan<byte> fill, TransformScratch scratch)
    {
        int w = image.Width, h = image.Height, ch = image.Channels;
        var output = scratch.Spare;
        output.Reset(w, h, ch);
        var src = image.Pixels;
        var dst = output.Pixels;
        Span<float> value = stackalloc float[3];
        for (var y = 0; y < h; y++)
        {
            var Y = y + 0.5;
            for (var x = 0; x < w; x++)
            {
                var X = x + 0.5;
                var sx = a * X + b * Y + c;
                var sy = d * X + e * Y + f;
                var o = (y * w + x) * ch;
                if (sx < 0 || sy < 0 || sx >= w || sy >= h)
                {
                    for (var k = 0; k < ch; k++)
                        dst[o + k] = fill[Math.Min(k, fill.Length - 1)];
                    continue;
                }
                if (interpolation == Interpolation.Nearest)
                {
                    src.Slice(((int)sy * w + (int)sx) * ch, ch).CopyTo(dst.Slice(o, ch));
                    continue;
                }
                Sample(src, w, h, ch, sx - 0.5, sy - 0.5, interpolation == Interpolation.Bicubic, value);
                for (var k = 0; k < ch; k++)
                    dst[o + k] = Resampler.ToByte(value[k]);
            }
        }
        image.SwapWith(output);
    }

    /// <summary>Interpolates at (x, y) in pixel-index coordinates, clamping neighbours to the edge.</summary>
    private static void Sample(ReadOnlySpan<byte> src, int w, int h, int ch, double x, double y, bool cubic, Span<float> value)
    {
        var x0 = (int)Math.Floor(x);
        var y0 = (int)Math.Floor(y);
        var fx = x - x0;
        var fy = y - y0;
        Span<double> wx = stackalloc double[4];
        Span<double> wy = stackalloc double[4];
        int first, taps;
        if (cubic)
        {
            first = -1;
            taps = 4;
            for (var i = 0; i < 4; i++)
            {
                wx[i] = Cubic(fx - (i - 1));
                wy[i] = Cubic(fy - (i - 1));
            }
        }
        else
        {
            first = 0;
            taps = 2;
            wx[0] = 1 - fx;
            wx[1] = fx;
            wy[0] = 1 - fy;
            wy[1] = fy;
        }
        for (var k = 0; k < ch; k++)
        {
            var sum = 0.0;
            for (var j = 0; j < taps; j++)
            {
                var yy = Math.Clamp(y0 + first + j, 0, h - 1);
                var row = 0.0;
                for (var i = 0; i < taps; i++)
                {
                    var xx = Math.Clamp(x0 + first + i, 0, w - 1);
                    row += wx[i] * src[(yy * w + xx) * ch + k];
                }
                sum += wy[j] * row;
            }
            value[k] = (float)sum;
        }
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1.0)
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
        if (x < 2.0)
            return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
        return 0.0;
    }
}
