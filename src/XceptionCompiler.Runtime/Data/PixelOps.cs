namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Point operations of AutoAugment, with PIL's ImageOps semantics: each maps a byte through a lookup table, the
/// histogram-based ones building one table per channel.
/// </summary>
public static class PixelOps
{
    /// <summary>255 - v.</summary>
    public static void Invert(PixelImage image)
    {
        foreach (ref var v in image.Pixels)
            v = (byte)(255 - v);
    }

    /// <summary>Inverts every value at or above <paramref name="threshold"/> (0..256; 256 changes nothing).</summary>
    public static void Solarize(PixelImage image, int threshold)
    {
        foreach (ref var v in image.Pixels)
            if (v >= threshold)
                v = (byte)(255 - v);
    }

    /// <summary>Keeps the top <paramref name="bits"/> bits (1..8) of every value.</summary>
    public static void Posterize(PixelImage image, int bits)
    {
        bits = Math.Clamp(bits, 1, 8);
        var mask = (byte)(0xFF << (8 - bits));
        foreach (ref var v in image.Pixels)
            v &= mask;
    }

    /// <summary>Stretches each channel linearly so its darkest value becomes 0 and its brightest 255.</summary>
    public static void AutoContrast(PixelImage image, TransformScratch scratch)
    {
        for (var c = 0; c < image.Channels; c++)
        {
            var histogram = Histogram(image, c, scratch);
            int lo = 0, hi = 255;
            while (lo < 256 && histogram[lo] == 0)
                lo++;
            while (hi >= 0 && histogram[hi] == 0)
                hi--;
            if (hi <= lo)
                continue; // a flat channel stays as it is
            var scale = 255.0 / (hi - lo);
            var offset = -lo * scale;
            var lut = scratch.Lut;
            for (var i = 0; i < 256; i++)
                lut[i] = (byte)Math.Clamp((int)(i * scale + offset), 0, 255);
            ApplyLut(image, c, lut);
        }
    }

    /// <summary>Histogram equalisation per channel, as PIL's ImageOps.equalize builds its table.</summary>
    public static void Equalize(PixelImage image, TransformScratch scratch)
    {
        for (var c = 0; c < image.Channels; c++)
        {
            var histogram = Histogram(image, c, scratch);
            var last = 255;
            while (last > 0 && histogram[last] == 0)
                last--;
            var total = 0;
            foreach (var h in histogram)
                total += h;
            var step = (total - histogram[last]) / 255;
            if (step == 0)
                continue; // (nearly) a single value: PIL leaves it alone
            var lut = scratch.Lut;
            var n = step / 2;
            for (var i = 0; i < 256; i++)
            {
                lut[i] = (byte)Math.Min(n / step, 255);
                n += histogram[i];
            }
            ApplyLut(image, c, lut);
        }
    }

    /// <summary>PIL's luma ("L" mode) of an RGB pixel: (299 R + 587 G + 114 B) / 1000, rounded in fixed point.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    private static int[] Histogram(PixelImage image, int channel, TransformScratch scratch)
    {
        var histogram = scratch.Histogram;
        Array.Clear(histogram);
        var pixels = image.Pixels;
        for (var i = channel; i < pixels.Length; i += image.Channels)
            histogram[pixels[i]]++;
        return histogram;
    }

    private static void ApplyLut(PixelImage image, int channel, byte[] lut)
    {
        var pixels = image.Pixels;
        for (var i = channel; i < pixels.Length; i += image.Channels)
            pixels[i] = lut[pixels[i]];
    }
}
