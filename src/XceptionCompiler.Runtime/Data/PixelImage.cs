namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// An 8-bit image in HWC order (1 channel: gray; 3 channels: RGB), the form every pixel-level transform works on.
/// Mutable and reusable: <see cref="Reset"/> keeps the buffer when it is large enough, so a worker that owns a few
/// of these decodes and augments a whole epoch without allocating.
/// </summary>
public sealed class PixelImage
{
    private byte[] _data;

    public PixelImage(int width = 0, int height = 0, int channels = 1)
    {
        _data = [];
        Reset(width, height, channels);
    }

    public int Width { get; private set; }
    public int Height { get; private set; }
    public int Channels { get; private set; }

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Channels;

    /// <summary>The image's bytes (H, W, C); the backing buffer may be longer.</summary>
    public Span<byte> Pixels => _data.AsSpan(0, Height * Stride);

    /// <summary>Sets the size, growing the buffer if needed. The contents are unspecified afterwards.</summary>
    public void Reset(int width, int height, int channels)
    {
        if (width < 0 || height < 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} is negative");
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), $"images have 1 or 3 channels, not {channels}");
        var needed = checked(width * height * channels);
        if (_data.Length < needed)
            _data = new byte[needed];
        Width = width;
        Height = height;
        Channels = channels;
    }

    /// <summary>Exchanges sizes and buffers with <paramref name="other"/>: how a stage that resamples into a scratch image hands the result back.</summary>
    public void SwapWith(PixelImage other)
    {
        (_data, other._data) = (other._data, _data);
        (Width, other.Width) = (other.Width, Width);
        (Height, other.Height) = (other.Height, Height);
        (Channels, other.Channels) = (other.Channels, Channels);
    }

    /// <summary>Makes this image a copy of <paramref name="source"/>.</summary>
    public void CopyFrom(PixelImage source)
    {
        Reset(source.Width, source.Height, source.Channels);
        source.Pixels.CopyTo(Pixels);
    }

    /// <summary>The byte at (x, y, channel); for tests and diagnostics, not for inner loops.</summary>
    public byte this[int x, int y, int channel = 0]
    {
        get => _data[(y * Width + x) * Channels + channel];
        set => _data[(y * Width + x) * Channels + channel] = value;
    }
}
