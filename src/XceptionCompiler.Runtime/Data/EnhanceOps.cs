namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// PIL's ImageEnhance operations: each blends the image with a "degenerate" version of itself,
/// out = degenerate + factor * (image - degenerate), clamped; factor 1 is the identity, 0 the degenerate image.
/// </summary>
public static class EnhanceOps
{
    /// <summary>Saturation: the degenerate image is the gray (luma) version. A gray image is unchanged.</summary>
    public static void Color(PixelImage image, double factor)
    {
        if (image.Channels != 3)
            return;
        var f = (float)factor;
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i += 3)
        {
            float gray = PixelOps.Luma(pixels[i], pixels[i + 1], pixels[i + 2]);
            for (var k = 0; k < 3; k++)
                pixels[i + k] = Resampler.ToByte(gray + f * (pixels[i + k] - gray));
        }
    }

    /// <summary>Contrast: the degenerate image is uniformly the mean luma, rounded.</summary>
    public static void Contrast(PixelImage image, double factor)
    {
        var pixels = image.Pixels;
        long sum = 0;
        if (image.Channels == 3)
            for (var i = 0; i < pixels.Length; i += 3)
                sum += PixelOps.Luma(pixels[i], pixels[i + 1], pixels[i + 2]);
        else
            foreach (var v in pixels)
                sum += v;
        var count = Math.Max(1, pixels.Length / image.Channels);
        float mean = (int)((double)sum / count + 0.5);
        var f = (float)factor;
        foreach (ref var v in pixels)
            v = Resampler.ToByte(mean + f * (v - mean));
    }

    /// <summary>Brightness: the degenerate image is black.</summary>
    public static void Brightness(PixelImage image, double factor)
    {
        var f = (float)factor;
        foreach (ref var v in image.Pixels)
            v = Resampler.ToByte(f * v);
    }

    /// <summary>
    /// Sharpness: the degenerate image is PIL's SMOOTH filter (3x3, centre weight 5, others 1, divided by 13) with
    /// the one-pixel border left unfiltered. Factors above 1 sharpen, below 1 blur.
    /// </summary>
    public static void Sharpness(PixelImage image, double factor, TransformScratch scratch)
    {
        int w = image.Width, h = image.Height, c = image.Channels;
        if (w < 3 || h < 3)
            return;
        var smooth = scratch.Spare;
        smooth.CopyFrom(image);
        var src = image.Pixels;
        var dst = smooth.Pixels;
        var stride = image.Stride;
        for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
                for (var k = 0; k < c; k++)
                {
                    var p = y * stride + x * c + k;
                    var sum = src[p - stride - c] + src[p - stride] + src[p - stride + c]
                            + src[p - c] + 5 * src[p] + src[p + c]
                            + src[p + stride - c] + src[p + stride] + src[p + stride + c];
                    dst[p] = (byte)((sum + 6) / 13);
                }
        var f = (float)factor;
        for (var i = 0; i < src.Length; i++)
            src[i] = Resampler.ToByte(dst[i] + f * (src[i] - dst[i]));
    }
}
