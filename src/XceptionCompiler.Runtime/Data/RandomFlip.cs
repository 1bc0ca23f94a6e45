namespace XceptionCompiler.Runtime.Data;

/// <summary>MindCV's RandomHorizontalFlip(prob) (mirror left-right) or RandomVerticalFlip(prob) (upside down).</summary>
public sealed record RandomFlip(bool Horizontal, double Probability) : IPixelStage
{
    public void Apply(PixelImage image, SampleRandom random, TransformScratch scratch)
    {
        if (!random.Chance(Probability))
            return;
        if (Horizontal)
            FlipHorizontal(image);
        else
            FlipVertical(image);
    }

    public static void FlipHorizontal(PixelImage image)
    {
        var c = image.Channels;
        var pixels = image.Pixels;
        for (var y = 0; y < image.Height; y++)
        {
            var row = pixels.Slice(y * image.Stride, image.Stride);
            for (int l = 0, r = (image.Width - 1) * c; l < r; l += c, r -= c)
                for (var k = 0; k < c; k++)
                    (row[l + k], row[r + k]) = (row[r + k], row[l + k]);
        }
    }

    public static void FlipVertical(PixelImage image)
    {
        var pixels = image.Pixels;
        var stride = image.Stride;
        for (int top = 0, bottom = image.Height - 1; top < bottom; top++, bottom--)
        {
            var a = pixels.Slice(top * stride, stride);
            var b = pixels.Slice(bottom * stride, stride);
            for (var i = 0; i < stride; i++)
                (a[i], b[i]) = (b[i], a[i]);
        }
    }
}
