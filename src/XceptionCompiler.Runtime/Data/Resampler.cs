namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Separable resampling of a box of the source to a new size, as PIL's Image.resize(size, filter, box) computes it:
/// when shrinking, the filter widens by the scale factor, so downsampling is antialiased rather than aliased (the
/// difference from OpenCV-style resizing that MindSpore uses; it is what torchvision and timm train with).
/// </summary>
public static class Resampler
{
    /// <summary>
    /// Resamples the box (<paramref name="boxX"/>, <paramref name="boxY"/>, <paramref name="boxWidth"/>,
    /// <paramref name="boxHeight"/>), in source pixels, of <paramref name="source"/> to
    /// <paramref name="width"/> x <paramref name="height"/> in <paramref name="destination"/> (a different image).
    /// </summary>
    public static void Resize(PixelImage source, double boxX, double boxY, double boxWidth, double boxHeight,
        PixelImage destination, int width, int height, Interpolation interpolation, TransformScratch scratch)
    {
        if (ReferenceEquals(source, destination))
            throw new ArgumentException("source and destination must be different images", nameof(destination));
        if (width <= 0 || height <= 0 || boxWidth <= 0 || boxHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"cannot resample a {boxWidth}x{boxHeight} box to {width}x{height}");
        var channels = source.Channels;
        destination.Reset(width, height, channels);

        if (interpolation == Interpolation.Nearest)
        {
            Nearest(source, boxX, boxY, boxWidth / width, boxHeight / height, destination);
            return;
        }

        var xTaps = Coefficients(interpolation, boxX, boxWidth, source.Width, width, ref scratch.XStart, ref scratch.XCount, ref scratch.XWeights);
        var yTaps = Coefficients(interpolation, boxY, boxHeight, source.Height, height, ref scratch.YStart, ref scratch.YCount, ref scratch.YWeights);
        var yFirst = scratch.YStart[0];
        var yLast = scratch.YStart[height - 1] + scratch.YCount[height - 1]; // exclusive
        var rowFloats = width * channels;
        var rows = TransformScratch.Grow(ref scratch.Rows, (yLast - yFirst) * rowFloats);

        // Horizontal pass: only the source rows some output row reads.
        var src = source.Pixels;
        var srcStride = source.Stride;
        for (var y = yFirst; y < yLast; y++)
        {
            var srcRow = src.Slice(y * srcStride, srcStride);
            var outRow = rows.AsSpan((y - yFirst) * rowFloats, rowFloats);
            for (var x = 0; x < width; x++)
            {
                var start = scratch.XStart[x];
                var count = scratch.XCount[x];
                var weights = scratch.XWeights.AsSpan(x * xTaps, count);
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0f;
                    var p = start * channels + c;
                    for (var k = 0; k < count; k++, p += channels)
                        sum += weights[k] * srcRow[p];
                    outRow[x * channels + c] = sum;
                }
            }
        }

        // Vertical pass, rounding to bytes.
        var dst = destination.Pixels;
        for (var y = 0; y < height; y++)
        {
            var start = scratch.YStart[y] - yFirst;
            var count = scratch.YCount[y];
            var weights = scratch.YWeights.AsSpan(y * yTaps, count);
            var outRow = dst.Slice(y * rowFloats, rowFloats);
            for (var i = 0; i < rowFloats; i++)
            {
                var sum = 0f;
                for (var k = 0; k < count; k++)
                    sum += weights[k] * rows[(start + k) * rowFloats + i];
                outRow[i] = ToByte(sum);
            }
        }
    }

    /// <summary>Rounds to the nearest byte, clamping the overshoot of bicubic filters.</summary>
    public static byte ToByte(float value) => value <= 0f ? (byte)0 : value >= 255f ? (byte)255 : (byte)(value + 0.5f);

    private static void Nearest(PixelImage source, double boxX, double boxY, double scaleX, double scaleY, PixelImage destination)
    {
        var channels = source.Channels;
        var src = source.Pixels;
        var dst = destination.Pixels;
        for (var y = 0; y < destination.Height; y++)
        {
            var sy = Math.Clamp((int)Math.Floor(boxY + (y + 0.5) * scaleY), 0, source.Height - 1);
            for (var x = 0; x < destination.Width; x++)
            {
                var sx = Math.Clamp((int)Math.Floor(boxX + (x + 0.5) * scaleX), 0, source.Width - 1);
                src.Slice((sy * source.Width + sx) * channels, channels).CopyTo(dst.Slice((y * destination.Width + x) * channels, channels));
            }
        }
    }

    /// <summary>Per output position: the first source index, the number of taps and their normalised weights. Returns the weight stride.</summary>
    private static int Coefficients(Interpolation interpolation, double box0, double boxSize, int inSize, int outSize,
        ref int[] starts, ref int[] counts, ref float[] weights)
    {
        var support = interpolation switch
        {
            Interpolation.Area => 0.5,
            Interpolation.Bilinear => 1.0,
            _ => 2.0,
        };
        var scale = boxSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        support *= filterScale;
        var taps = (int)Math.Ceiling(support) * 2 + 1;
        TransformScratch.Grow(ref starts, outSize);
        TransformScratch.Grow(ref counts, outSize);
        TransformScratch.Grow(ref weights, outSize * taps);
        for (var i = 0; i < outSize; i++)
        {
            var center = box0 + (i + 0.5) * scale;
            var min = Math.Max((int)Math.Floor(center - support + 0.5), 0);
            var max = Math.Min((int)Math.Floor(center + support + 0.5), inSize);
            if (max <= min) // a box at the very edge: take the nearest pixel
            {
                min = Math.Clamp((int)Math.Floor(center), 0, inSize - 1);
                max = min + 1;
            }
            var count = Math.Min(max - min, taps);
            var w = weights.AsSpan(i * taps, count);
            var total = 0.0;
            for (var k = 0; k < count; k++)
            {
                var v = Filter(interpolation, (min + k - center + 0.5) / filterScale);
                w[k] = (float)v;
                total += v;
            }
            if (total != 0)
                for (var k = 0; k < count; k++)
                    w[k] = (float)(w[k] / total);
            starts[i] = min;
            counts[i] = count;
        }
        return taps;
    }

    private static double Filter(Interpolation interpolation, double x)
    {
        if (interpolation == Interpolation.Area)
            return x > -0.5 && x <= 0.5 ? 1.0 : 0.0; // half-open, so a pixel on a boundary counts once
        x = Math.Abs(x);
        switch (interpolation)
        {
            case Interpolation.Bilinear:
                return x < 1.0 ? 1.0 - x : 0.0;
            default:
                // Keys' cubic with a = -0.5, as PIL and torchvision's antialiased bicubic use.
                const double a = -0.5;
                if (x < 1.0)
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
                if (x < 2.0)
                    return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
                return 0.0;
        }
    }
}
