namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// MindCV's Normalize + HWC2CHW: (pixel - mean) / std per channel, with mean and std in 0-255 units, written as
/// CHW floats. Converts channels on the way: a gray image is repeated into 3 channels, an RGB image reduced to luma
/// for 1. Each channel maps bytes through a 256-entry table, so this costs one lookup per value.
/// </summary>
public sealed class Normalization
{
    private readonly float[][] _tables; // per output channel: byte -> normalised float

    /// <summary><paramref name="mean"/> and <paramref name="std"/> have one value per output channel, or one for all.</summary>
    public Normalization(IReadOnlyList<double> mean, IReadOnlyList<double> std, int channels)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "the network input must have 1 or 3 channels");
        if ((mean.Count != channels && mean.Count != 1) || (std.Count != channels && std.Count != 1))
            throw new ArgumentException(
                $"mean has {mean.Count} and std {std.Count} values, but the network input has {channels} channel(s); give {channels} value(s) each, in 0-255 units" +
                (channels == 1 ? " (Fashion-MNIST: mean [72.93], std [90.02])" : ""), nameof(mean));
        Channels = channels;
        _tables = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            var m = mean[Math.Min(c, mean.Count - 1)];
            var s = std[Math.Min(c, std.Count - 1)];
            if (!(s > 0))
                throw new ArgumentException($"std[{c}] is {s}; it must be positive", nameof(std));
            _tables[c] = new float[256];
            for (var v = 0; v < 256; v++)
                _tables[c][v] = (float)((v - m) / s);
        }
    }

    public int Channels { get; }

    /// <summary>The normalised value of byte <paramref name="value"/> in channel <paramref name="channel"/>.</summary>
    public float Apply(int channel, byte value) => _tables[channel][value];

    /// <summary>Writes <paramref name="image"/> as (Channels, H, W) floats into <paramref name="destination"/>.</summary>
    public void Write(PixelImage image, Span<float> destination)
    {
        var plane = image.Width * image.Height;
        if (destination.Length < Channels * plane)
            throw new ArgumentException($"destination holds {destination.Length} floats, {Channels * plane} needed", nameof(destination));
        var pixels = image.Pixels;
        if (image.Channels == 1)
        {
            for (var c = 0; c < Channels; c++)
            {
                var table = _tables[c];
                var outPlane = destination.Slice(c * plane, plane);
                for (var i = 0; i < plane; i++)
                    outPlane[i] = table[pixels[i]];
            }
        }
        else if (Channels == 3)
        {
            float[] t0 = _tables[0], t1 = _tables[1], t2 = _tables[2];
            var r = destination[..plane];
            var g = destination.Slice(plane, plane);
            var b = destination.Slice(2 * plane, plane);
            for (int i = 0, p = 0; i < plane; i++, p += 3)
            {
                r[i] = t0[pixels[p]];
                g[i] = t1[pixels[p + 1]];
                b[i] = t2[pixels[p + 2]];
            }
        }
        else
        {
            var table = _tables[0];
            for (int i = 0, p = 0; i < plane; i++, p += 3)
                destination[i] = table[PixelOps.Luma(pixels[p], pixels[p + 1], pixels[p + 2])];
        }
    }
}
