namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// One step of a transform that works on 8-bit pixels (crops, flips, AutoAugment), in place: a stage that changes
/// the size resamples into <see cref="TransformScratch.Spare"/> and swaps. All randomness comes from <c>random</c>.
/// </summary>
public interface IPixelStage
{
    void Apply(PixelImage image, SampleRandom random, TransformScratch scratch);
}
