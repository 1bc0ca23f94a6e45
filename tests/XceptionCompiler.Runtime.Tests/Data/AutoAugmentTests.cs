using XceptionCompiler.Runtime.Data;
using Xunit;

namespace XceptionCompiler.Runtime.Tests.Data;

/// <summary>Each AutoAugment operation on a synthetic image, and the policy itself.</summary>
public sealed class AutoAugmentTests
{
    private static readonly byte[] Gray = [128, 128, 128];

    /// <summary>A 1-channel image holding 0, 1, …, 255 row by row (16 x 16).</summary>
    private static PixelImage Ramp()
    {
        var image = new PixelImage(16, 16, 1);
        for (var i = 0; i < 256; i++)
            image.Pixels[i] = (byte)i;
        return image;
    }

    private static AutoAugment Stage(string config = "autoaug-mstd0") =>
        new(AutoAugmentPolicy.Parse(config), Interpolation.Nearest, Gray);

    [Fact]
    public void Invert_solarize_and_posterize_map_values_as_claimed()
    {
        var image = Ramp();
        PixelOps.Invert(image);
        Assert.Equal(255, image.Pixels[0]);
        Assert.Equal(55, image.Pixels[200]);

        image = Ramp();
        PixelOps.Solarize(image, 128);
        Assert.Equal(127, image.Pixels[127]); // below the threshold: kept
        Assert.Equal(127, image.Pixels[128]); // at and above: inverted
        Assert.Equal(0, image.Pixels[255]);

        image = Ramp();
        PixelOps.Posterize(image, 3);
        Assert.All(image.Pixels.ToArray(), v => Assert.Equal(0, v & 0x1F));
        Assert.Equal(8, image.Pixels.ToArray().Distinct().Count());
        Assert.Equal(0xE0, image.Pixels[0xFF]);

        // Through the policy's magnitude mapping: Solarize m=5 -> threshold 128; PosterizeOriginal m=8 -> 4 + 3 = 7 bits.
        image = Ramp();
        Stage().Apply(AugmentOp.Solarize, image, 5, new SampleRandom(0), new TransformScratch());
        Assert.Equal((127, 127), (image.Pixels[127], image.Pixels[128]));
        image = Ramp();
        Stage().Apply(AugmentOp.PosterizeOriginal, image, 8, new SampleRandom(0), new TransformScratch());
        Assert.Equal(128, image.Pixels.ToArray().Distinct().Count());
    }

    [Fact]
    public void Equalize_spreads_a_narrow_histogram_and_autocontrast_stretches_it()
    {
        // Large enough that PIL's integer step (pixels / 255) does not round the top levels past 255.
        var image = new PixelImage(256, 256, 1);
        for (var i = 0; i < image.Pixels.Length; i++)
            image.Pixels[i] = (byte)(100 + i % 20); // values 100..119, evenly
        var scratch = new TransformScratch();
        var equalized = new PixelImage();
        equalized.CopyFrom(image);
        PixelOps.Equalize(equalized, scratch);
        Assert.Equal(0, equalized.Pixels.ToArray().Min());
        Assert.InRange(equalized.Pixels.ToArray().Max(), 240, 255);
        Assert.Equal(20, equalized.Pixels.ToArray().Distinct().Count()); // order kept, levels spread

        PixelOps.AutoContrast(image, scratch);
        Assert.Equal(0, image.Pixels.ToArray().Min());
        Assert.InRange(image.Pixels.ToArray().Max(), 254, 255); // int(119 * 255/19 - 100 * 255/19) truncates 254.99999, as in PIL
        Assert.Equal(0, image.Pixels[0]);
        Assert.Equal((int)(10 * 255.0 / 19), image.Pixels[10]);

        var flat = new PixelImage(4, 4, 1);
        flat.Pixels.Fill(77);
        PixelOps.Equalize(flat, scratch);
        PixelOps.AutoContrast(flat, scratch);
        Assert.All(flat.Pixels.ToArray(), v => Assert.Equal(77, v));
    }

    [Fact]
    public void Rotate_90_moves_a_pixel_right_of_centre_to_above_it()
    {
        var image = new PixelImage(21, 21, 1);
        image[15, 10] = 255; // 5 right of the centre pixel (10, 10)
        AffineOps.Rotate(image, 90, Interpolation.Nearest, [0], new TransformScratch());
        Assert.Equal(255, image[10, 5]); // counter-clockwise: now 5 above
        Assert.Equal(1, image.Pixels.ToArray().Count(v => v == 255));

        // The policy's Rotate at magnitude 10 is ±30 degrees: corners leave the image and take the fill.
        var filled = new PixelImage(20, 20, 3);
        filled.Pixels.Fill(9);
        Stage().Apply(AugmentOp.Rotate, filled, 10, new SampleRandom(0), new TransformScratch());
        Assert.Equal(128, filled[0, 0, 0]);
        Assert.Equal(9, filled[10, 10, 1]);
    }

    [Fact]
    public void Shear_and_translate_move_content_by_the_expected_amount()
    {
        var image = new PixelImage(20, 10, 1);
        image[5, 9] = 200;
        AffineOps.ShearX(image, 0.5, Interpolation.Nearest, [0], new TransformScratch());
        // Output (x, 9) reads input (x + 0.5 * 9.5, 9): the pixel moves left by about 4.75.
        Assert.Equal(200, image[0, 9]);

        image = new PixelImage(20, 10, 1);
        image[10, 5] = 200;
        AffineOps.TranslateX(image, 3, Interpolation.Nearest, [0], new TransformScratch());
        Assert.Equal(200, image[7, 5]);
        AffineOps.TranslateY(image, -2, Interpolation.Nearest, [0], new TransformScratch());
        Assert.Equal(200, image[7, 7]);
        AffineOps.ShearY(image, 0, Interpolation.Bilinear, [0], new TransformScratch());
        Assert.Equal(200, image[7, 7]); // a zero shear is the identity, bilinear or not
    }

    [Fact]
    public void Enhance_operations_blend_towards_their_degenerate_image()
    {
        var image = new PixelImage(8, 8, 3);
        for (var i = 0; i < 64; i++)
            (image.Pixels[3 * i], image.Pixels[3 * i + 1], image.Pixels[3 * i + 2]) = ((byte)(i * 4), 50, 200);
        var scratch = new TransformScratch();

        var gray = new PixelImage();
        gray.CopyFrom(image);
        EnhanceOps.Color(gray, 0);
        Assert.Equal(gray[3, 3, 0], gray[3, 3, 2]); // saturation 0: R = G = B = luma
        Assert.Equal(PixelOps.Luma(image[3, 3, 0], 50, 200), gray[3, 3, 1]);

        var dark = new PixelImage();
        dark.CopyFrom(image);
        EnhanceOps.Brightness(dark, 0.5);
        Assert.Equal(100, dark[0, 0, 2]);

        var flat = new PixelImage();
        flat.CopyFrom(image);
        EnhanceOps.Contrast(flat, 0);
        Assert.Single(flat.Pixels.ToArray().Distinct());

        var same = new PixelImage();
        same.CopyFrom(image);
        EnhanceOps.Sharpness(same, 1.0, scratch);
        Assert.True(same.Pixels.SequenceEqual(image.Pixels));
        var spike = new PixelImage(5, 5, 1);
        spike[2, 2] = 130;
        EnhanceOps.Sharpness(spike, 0, scratch); // fully smoothed: 5/13 of the spike stays
        Assert.Equal(50, spike[2, 2]);
        Assert.Equal(10, spike[1, 2]);
    }

    [Fact]
    public void The_policy_is_the_papers_imagenet_policy()
    {
        var policy = AutoAugmentPolicy.Parse("autoaug");
        Assert.Equal(25, policy.SubPolicies.Count);
        Assert.All(policy.SubPolicies, sp => Assert.Equal(2, sp.Length));
        Assert.Equal(new AugmentStep(AugmentOp.PosterizeOriginal, 0.4, 8), policy.SubPolicies[0][0]);
        Assert.Equal(new AugmentStep(AugmentOp.Rotate, 0.6, 9), policy.SubPolicies[0][1]);
        Assert.Equal(new AugmentStep(AugmentOp.ShearX, 0.6, 5), policy.SubPolicies[18][0]);
        Assert.Equal(AutoAugmentPolicy.DefaultMagnitudeStd, policy.MagnitudeStd);
        Assert.Equal(0, AutoAugmentPolicy.Parse("autoaug-mstd0").MagnitudeStd);
        Assert.Equal(AugmentOp.PosterizeIncreasing, AutoAugmentPolicy.Parse("autoaugr").SubPolicies[0][0].Op);
        Assert.Throws<ArgumentException>(() => AutoAugmentPolicy.Parse("randaug-m9"));
        Assert.Throws<ArgumentException>(() => AutoAugmentPolicy.Parse("autoaug-x3"));
    }

    [Fact]
    public void Every_operation_runs_on_gray_and_rgb_images_at_every_magnitude()
    {
        var stage = new AutoAugment(AutoAugmentPolicy.Parse("autoaug"), Interpolation.Bicubic, Gray);
        var scratch = new TransformScratch();
        var random = new SampleRandom(5);
        foreach (var channels in new[] { 1, 3 })
            foreach (var op in Enum.GetValues<AugmentOp>())
                foreach (var m in new[] { 0.0, 5, 10 })
                {
                    var image = new PixelImage(13, 9, channels);
                    for (var i = 0; i < image.Pixels.Length; i++)
                        image.Pixels[i] = (byte)(i * 37);
                    stage.Apply(op, image, m, random, scratch);
                    Assert.Equal((13, 9, channels), (image.Width, image.Height, image.Channels));
                }
        // And the whole stage, many times, keeps the size.
        for (var i = 0; i < 200; i++)
        {
            var image = new PixelImage(24, 24, 3);
            image.Pixels.Fill((byte)i);
            stage.Apply(image, random, scratch);
            Assert.Equal((24, 24), (image.Width, image.Height));
        }
    }
}
