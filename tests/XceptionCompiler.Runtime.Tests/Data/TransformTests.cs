using XceptionCompiler.Runtime.Data;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>Geometry, flips, normalisation and random erasing of the MindCV transforms.</summary>
public sealed class TransformTests
{
    private static readonly AugmentationOptions Identity = new() { Mean = [0], Std = [1], HFlip = 0 };

    /// <summary>An RGB gradient image: R = x / step, G = y / step, B = 100.</summary>
    private static PixelImage Gradient(int width, int height, int step = 2)
    {
        var image = new PixelImage(width, height, 3);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                image[x, y, 0] = (byte)(x / step);
                image[x, y, 1] = (byte)(y / step);
                image[x, y, 2] = 100;
            }
        return image;
    }

    [Fact]
    public void Eval_resizes_the_shorter_side_to_size_over_crop_pct_then_centre_crops()
    {
        var stage = new ResizeCenterCrop(299, 0.875, Interpolation.Bilinear);
        Assert.Equal(341, stage.ScaleSize);
        Assert.Equal((454, 341, 78, 21), stage.Plan(400, 300)); // 400*341/300 = 454.67 -> 454; (454-299)/2 = 77.5 -> 78
        Assert.Equal((341, 454, 21, 78), stage.Plan(300, 400));

        // On a gradient (R = x/2, G = y/2) the crop's pixel centres map back to source x = (78 + i + 0.5) * 400/454 - 0.5
        // and y = (21 + j + 0.5) * 300/341 - 0.5.
        var image = Gradient(400, 300);
        var scratch = new TransformScratch();
        stage.Apply(image, new SampleRandom(1), scratch);
        Assert.Equal((299, 299), (image.Width, image.Height));
        Assert.InRange(image[0, 150, 0], 33, 35);     // x = 68.7
        Assert.InRange(image[298, 150, 0], 164, 166); // x = 331.2
        Assert.InRange(image[150, 0, 1], 8, 10);      // y = 18.4
        Assert.InRange(image[150, 298, 1], 139, 141); // y = 280.6
    }

    [Fact]
    public void Eval_transform_has_the_network_shape_and_normalised_values()
    {
        var transform = Transforms.Eval(new AugmentationOptions { ImageResize = 299 }, 3);
        var output = new float[3 * 299 * 299];
        transform.Apply(Gradient(400, 300), new SampleRandom(0), new TransformScratch(), output);
        Assert.Equal((3, 299, 299), (transform.Channels, transform.Height, transform.Width));
        // Blue is constant 100: (100 - 0.406*255) / (0.225*255).
        Assert.Equal((100 - 0.406 * 255) / (0.225 * 255), output[2 * 299 * 299 + 1234], 4);
        Assert.All(output, v => Assert.InRange(v, -2.2f, 2.7f)); // (0 - mean)/std .. (255 - mean)/std
    }

    [Fact]
    public void Native_size_is_a_no_op_for_fashion_mnist()
    {
        var image = new PixelImage(28, 28, 1);
        for (var i = 0; i < 784; i++)
            image.Pixels[i] = (byte)(i * 13);
        var expected = image.Pixels.ToArray();
        var options = AugmentationOptions.FashionMnist with { HFlip = 0 };
        foreach (var training in new[] { true, false })
        {
            var transform = Transforms.Create("fashion_mnist", training, options, 1);
            var copy = new PixelImage();
            copy.CopyFrom(image);
            var output = new float[784];
            transform.Apply(copy, new SampleRandom(3), new TransformScratch(), output);
            for (var i = 0; i < 784; i++)
                Assert.Equal((expected[i] - 0.2860 * 255) / (0.3530 * 255), output[i], 4);
        }
    }

    [Fact]
    public void Gray_images_fill_three_channels_and_resize_up_for_a_larger_network()
    {
        var transform = Transforms.Create("fashion_mnist", training: false, AugmentationOptions.FashionMnist with { ImageResize = 71 }, 3);
        var image = new PixelImage(28, 28, 1);
        image.Pixels.Fill(200);
        var output = new float[3 * 71 * 71];
        transform.Apply(image, new SampleRandom(0), new TransformScratch(), output);
        var expected = (200 - 0.2860 * 255) / (0.3530 * 255);
        Assert.All(output, v => Assert.Equal(expected, v, 4));
    }

    [Fact]
    public void Mean_of_the_wrong_length_is_refused_with_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => Transforms.Eval(new AugmentationOptions(), 1));
        Assert.Contains("mean has 3", e.Message);
        Assert.Contains("72.9", e.Message);
    }

    [Fact]
    public void Horizontal_flip_mirrors_each_row()
    {
        var image = Gradient(7, 3, step: 1);
        RandomFlip.FlipHorizontal(image);
        for (var x = 0; x < 7; x++)
            Assert.Equal(6 - x, image[x, 1, 0]);
        Assert.Equal(1, image[3, 1, 1]); // rows stay
        RandomFlip.FlipVertical(image);
        Assert.Equal(2, image[0, 0, 1]);

        // In a transform with hflip 1 the bright right half of an image ends up on the left.
        var transform = Transforms.Train(Identity with { ImageResize = 16, Scale = (1, 1), Ratio = (1, 1), HFlip = 1 }, 3);
        var picture = new PixelImage(16, 16, 3);
        for (var y = 0; y < 16; y++)
            for (var x = 0; x < 16; x++)
                picture[x, y, 0] = x < 8 ? (byte)10 : (byte)250;
        var output = new float[3 * 16 * 16];
        transform.Apply(picture, new SampleRandom(9), new TransformScratch(), output);
        Assert.Equal(250f, output[5 * 16 + 0]);
        Assert.Equal(10f, output[5 * 16 + 15]);
    }

    [Fact]
    public void Random_resized_crop_stays_inside_the_image_and_within_the_ranges()
    {
        var crop = new RandomResizedCrop(224, (0.08, 1.0), (0.75, 1.333), Interpolation.Bilinear);
        var random = new SampleRandom(11);
        var areas = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var (x, y, w, h) = crop.CropBox(500, 375, random);
            Assert.True(x >= 0 && y >= 0 && x + w <= 500 && y + h <= 375, $"box {x},{y},{w},{h} leaves the image");
            var fraction = (double)w * h / (500 * 375);
            Assert.InRange(fraction, 0.07, 1.0);
            Assert.InRange((double)w / h, 0.7, 1.4);
            areas.Add(fraction);
        }
        Assert.InRange(areas.Min(), 0.07, 0.1);
        Assert.InRange(areas.Max(), 0.9, 1.0);
        Assert.InRange(areas.Average(), 0.35, 0.55); // uniform in [0.08, 1], less the large crops that do not fit

        // A very wide image fails all 10 attempts for scale 1 and falls back to the widest allowed centred crop.
        var full = new RandomResizedCrop(32, (1, 1), (0.75, 1.333), Interpolation.Bilinear);
        Assert.Equal((333, 0, 133, 100), full.CropBox(800, 100, random)); // 100 * 1.333 = 133, (800 - 133) / 2 = 333
    }

    [Fact]
    public void Train_transform_produces_the_shape_and_varies_with_the_seed()
    {
        var options = new AugmentationOptions { ImageResize = 64, AutoAugment = "autoaug", ReProb = 0.25, Interpolation = "bicubic" };
        var transform = Transforms.Train(options, 3);
        var scratch = new TransformScratch();
        var a = new float[3 * 64 * 64];
        var b = new float[3 * 64 * 64];
        var c = new float[3 * 64 * 64];
        transform.Apply(Gradient(120, 90), new SampleRandom(1), scratch, a);
        transform.Apply(Gradient(120, 90), new SampleRandom(1), scratch, b);
        transform.Apply(Gradient(120, 90), new SampleRandom(2), scratch, c);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.True(float.IsFinite(v) && v >= -2.2f && v <= 2.7f));
    }

    [Fact]
    public void Random_erasing_clears_a_rectangle_of_the_allowed_size_in_every_channel()
    {
        var erasing = new RandomErasing(1.0, (0.02, 0.33), (0.3, 3.3), RandomValues: false);
        var tensor = Enumerable.Repeat(5f, 3 * 40 * 30).ToArray();
        var box = erasing.Apply(tensor, 3, 40, 30, new SampleRandom(4));
        Assert.NotNull(box);
        var (x, y, w, h) = box.Value;
        Assert.InRange(w * h / 1200.0, 0.015, 0.34);
        for (var c = 0; c < 3; c++)
            for (var yy = 0; yy < 40; yy++)
                for (var xx = 0; xx < 30; xx++)
                {
                    var inside = xx >= x && xx < x + w && yy >= y && yy < y + h;
                    Assert.Equal(inside ? 0f : 5f, tensor[(c * 40 + yy) * 30 + xx]);
                }

        var noisy = new RandomErasing(1.0, (0.3, 0.33), (1, 1), RandomValues: true);
        var values = Enumerable.Repeat(5f, 100 * 100).ToArray();
        noisy.Apply(values, 1, 100, 100, new SampleRandom(4));
        var erased = values.Where(v => v != 5f).ToArray();
        Assert.InRange(erased.Length, 2800, 3400);
        Assert.InRange(erased.Average(), -0.15, 0.15); // standard normal
        Assert.Null(new RandomErasing(0.0, (0.02, 0.33), (0.3, 3.3), false).Apply(values, 1, 100, 100, new SampleRandom(4)));
    }

    [Fact]
    public void Interpolations_agree_on_a_flat_image_and_nearest_keeps_values()
    {
        foreach (var name in new[] { "nearest", "bilinear", "bicubic", "area" })
        {
            var image = new PixelImage(37, 23, 3);
            image.Pixels.Fill(123);
            var output = new PixelImage();
            Resampler.Resize(image, 0, 0, 37, 23, output, 80, 11, InterpolationNames.Parse(name), new TransformScratch());
            Assert.Equal((80, 11), (output.Width, output.Height));
            Assert.All(output.Pixels.ToArray(), v => Assert.Equal(123, v));
        }
        var checker = new PixelImage(4, 4, 1);
        for (var i = 0; i < 16; i++)
            checker.Pixels[i] = (byte)((i % 4 + i / 4) % 2 * 255);
        var up = new PixelImage();
        Resampler.Resize(checker, 0, 0, 4, 4, up, 8, 8, Interpolation.Nearest, new TransformScratch());
        Assert.All(up.Pixels.ToArray(), v => Assert.True(v is 0 or 255));
        Assert.Throws<ArgumentException>(() => InterpolationNames.Parse("lanczos9"));
    }

    [Fact]
    public void Color_jitter_scales_brightness_within_its_range()
    {
        var jitter = ColorJitter.FromConfig([0.4, 0, 0]);
        var random = new SampleRandom(8);
        var seen = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            var image = new PixelImage(4, 4, 3);
            image.Pixels.Fill(100);
            jitter.Apply(image, random, new TransformScratch());
            seen.Add(image[1, 1, 0]);
        }
        Assert.InRange(seen.Min(), 60, 66);   // factor 0.6
        Assert.InRange(seen.Max(), 134, 140); // factor 1.4
        Assert.Throws<ArgumentException>(() => ColorJitter.FromConfig([0.4, 0.4, 0.4, 0.1]));
    }
}
