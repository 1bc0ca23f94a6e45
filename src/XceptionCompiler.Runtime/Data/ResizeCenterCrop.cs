namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// The evaluation geometry: resize so the shorter side is floor(<see cref="Size"/> / <see cref="CropPct"/>)
/// (MindCV's Resize(scale_size)), then take the centred <see cref="Size"/> x <see cref="Size"/> crop. With
/// CropPct 1 it is a plain resize of a square image, and a no-op when the image already has that size.
/// Computed in one resampling of the crop's box, which gives the same pixels as resizing first and cropping after.
/// </summary>
public sealed record ResizeCenterCrop(int Size, double CropPct, Interpolation Interpolation) : IPixelStage
{
    /// <summary>The size the shorter side is resized to.</summary>
    public int ScaleSize => (int)Math.Floor(Size / CropPct + 1e-9);

    /// <summary>The resized size and the crop's top-left corner in it, for an image of this size.</summary>
    public (int ResizedWidth, int ResizedHeight, int CropX, int CropY) Plan(int width, int height)
    {
        // torchvision's Resize(int): the longer side follows the aspect ratio, truncated.
        int rw, rh;
        if (width <= height)
        {
            rw = ScaleSize;
            rh = (int)((long)ScaleSize * height / width);
        }
        else
        {
            rh = ScaleSize;
            rw = (int)((long)ScaleSize * width / height);
        }
        // CenterCrop rounds half to even, as Python's round does.
        var cx = (int)Math.Round((rw - Size) / 2.0, MidpointRounding.ToEven);
        var cy = (int)Math.Round((rh - Size) / 2.0, MidpointRounding.ToEven);
        return (rw, rh, cx, cy);
    }

    public void Apply(PixelImage image, SampleRandom random, TransformScratch scratch)
    {
        var (rw, rh, cx, cy) = Plan(image.Width, image.Height);
        if (rw == image.Width && rh == image.Height && rw == Size && rh == Size)
            return; // already the right size: nothing to do (Fashion-MNIST at 28)
        var sx = (double)image.Width / rw;
        var sy = (double)image.Height / rh;
        Resampler.Resize(image, cx * sx, cy * sy, Size * sx, Size * sy, scratch.Spare, Size, Size, Interpolation, scratch);
        image.SwapWith(scratch.Spare);
    }
}
