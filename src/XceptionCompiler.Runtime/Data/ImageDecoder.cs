using System.Buffers;
using SkiaSharp;

namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// Decodes JPEG, PNG, BMP, WebP (whatever Skia recognises by content, not by name) into an RGB
/// <see cref="PixelImage"/>. Alpha is dropped, not composited, like PIL's convert("RGB"); gray and CMYK files come
/// out as RGB. Thread-safe: each call owns its codec and a pooled RGBA buffer.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Larger images are refused rather than risking an out-of-memory failure mid-epoch (ImageNet's largest is ~5 MP).</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    /// <summary>Decodes <paramref name="path"/>; throws <see cref="ImageDecodeException"/> for an unreadable or corrupt file.</summary>
    public static unsafe void Decode(string path, PixelImage destination)
    {
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, $"cannot be read ({e.Message})", e);
        }
        if (length == 0)
            throw new ImageDecodeException(path, "is empty (0 bytes)");

        using var codec = OpenCodec(path);
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageDecodeException(path, $"has no pixels ({info.Width}x{info.Height})");
        if ((long)info.Width * info.Height > MaxPixels)
            throw new ImageDecodeException(path, $"is {info.Width}x{info.Height}, more than the {MaxPixels} pixels allowed");

        var rgbaInfo = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgbaBytes = rgbaInfo.BytesSize;
        var rgba = ArrayPool<byte>.Shared.Rent(rgbaBytes);
        try
        {
            SKCodecResult result;
            fixed (byte* p = rgba)
                result = codec.GetPixels(rgbaInfo, (IntPtr)p);
            // IncompleteInput means a truncated file whose missing rows Skia filled in: refuse it, as PIL does.
            if (result != SKCodecResult.Success)
                throw new ImageDecodeException(path, $"cannot be decoded as {codec.EncodedFormat} ({result})");

            destination.Reset(info.Width, info.Height, 3);
            var rgb = destination.Pixels;
            var src = rgba.AsSpan(0, rgbaBytes);
            for (int s = 0, d = 0; d < rgb.Length; s += 4, d += 3)
            {
                rgb[d] = src[s];
                rgb[d + 1] = src[s + 1];
                rgb[d + 2] = src[s + 2];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static SKCodec OpenCodec(string path)
    {
        SKCodec? codec;
        SKCodecResult result;
        try
        {
            codec = SKCodec.Create(path, out result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(path, $"cannot be read ({e.Message})", e);
        }
        return codec ?? throw new ImageDecodeException(path, result == SKCodecResult.Unimplemented
            ? "is not in an image format Skia can decode"
            : $"is not a readable image ({result})");
    }
}
