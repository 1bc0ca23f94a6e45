using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Training.Tests;

/// <summary>Cross-entropy with label smoothing, top-k, and MindCV's learning-rate schedules.</summary>
public sealed class LossAndScheduleTests
{
    [Fact]
    public void CrossEntropyGradientMatchesFiniteDifferences()
    {
        float[] logits = [0.3f, -1.2f, 2.0f, 0.5f, 1.0f, 0.0f, -0.5f, 0.25f];
        int[] labels = [2, 0];
        var gradient = new float[logits.Length];
        SoftmaxCrossEntropy.Compute(logits, labels, 2, 4, 0.1f, gradient);

        for (int i = 0; i < logits.Length; i++)
        {
            float[] plus = (float[])logits.Clone(), minus = (float[])logits.Clone();
            plus[i] += 1e-3f;
            minus[i] -= 1e-3f;
            var scratch = new float[logits.Length];
            double numeric = (SoftmaxCrossEntropy.Compute(plus, labels, 2, 4, 0.1f, scratch) - SoftmaxCrossEntropy.Compute(minus, labels, 2, 4, 0.1f, scratch)) / 2e-3;
            Assert.True(Math.Abs(numeric - gradient[i]) < 1e-4, $"d loss / d logit {i}: analytic {gradient[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void LabelSmoothingSpreadsTheTarget()
    {
        // Equal logits: every class has probability 1/K, so the loss is log K whatever the smoothing.
        var gradient = new float[5];
        Assert.Equal(Math.Log(5), SoftmaxCrossEntropy.Compute(new float[5], [3], 1, 5, 0.1f, gradient), 6);
        // The gradient is p - q: 0.2 - (0.9 + 0.02) at the label, 0.2 - 0.02 elsewhere.
        Assert.Equal(0.2f - 0.92f, gradient[3], 5);
        Assert.Equal(0.2f - 0.02f, gradient[0], 5);
    }

    [Fact]
    public void ALabelOutsideTheClassesIsAnError()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.Compute(new float[4], [4], 1, 4, 0f, new float[4]));
        Assert.Contains("label 4", error.Message);
    }

    [Fact]
    public void TopKCountsTheLabelAmongTheLargest()
    {
        float[] row = [0.1f, 0.9f, 0.5f, 0.7f];
        Assert.True(TopK.Contains(row, 1, 1));
        Assert.False(TopK.Contains(row, 3, 1));
        Assert.True(TopK.Contains(row, 2, 3));
        Assert.False(TopK.Contains(row, 0, 3));
        Assert.Equal([1, 3, 2], TopK.Indices(row, 3));
    }

    [Fact]
    public void WarmupRisesLinearlyThenCosineDecaysToTheMinimum()
    {
        var schedule = new LearningRateSchedule("warmup_cosine_decay", 0.1f, 0.001f, WarmupEpochs: 2, WarmupFactor: 0f, DecayEpochs: 8, DecayRate: 0, [], EpochStair: false, StepsPerEpoch: 10);
        Assert.Equal(0f, schedule.At(0));
        Assert.Equal(0.05f, schedule.At(10), 6);
        Assert.Equal(0.1f, schedule.At(20), 6);
        Assert.Equal(0.001f + (0.099f / 2), schedule.At(60), 5);
        Assert.Equal(0.001f, schedule.At(100), 6);
        Assert.Equal(0.001f, schedule.At(500), 6);
    }

    [Fact]
    public void ThePapersScheduleDecaysBy094EveryTwoEpochs()
    {
        var schedule = new LearningRateSchedule("exponential_decay", 0.045f, 0f, 0, 0f, DecayEpochs: 2, DecayRate: 0.94f, [], EpochStair: true, StepsPerEpoch: 100);
        Assert.Equal(0.045f, schedule.At(0), 7);
        Assert.Equal(0.045f, schedule.At(199), 7);
        Assert.Equal(0.045f * 0.94f, schedule.At(200), 6);
        Assert.Equal(0.045f * 0.94f, schedule.At(399), 6);
        Assert.Equal(0.045f * 0.94f * 0.94f, schedule.At(400), 6);

        var smooth = schedule with { EpochStair = false };
        Assert.Equal(0.045f * MathF.Sqrt(0.94f), smooth.At(100), 6);
    }

    [Theory]
    [InlineData("step_decay", 25, 0.1f)]
    [InlineData("step_decay", 35, 0.01f)]
    [InlineData("multi_step_decay", 5, 1f)]
    [InlineData("multi_step_decay", 15, 0.1f)]
    [InlineData("multi_step_decay", 45, 0.001f)]
    [InlineData("constant", 45, 1f)]
    public void StepSchedulesDecayAtTheirEpochs(string kind, int epoch, float factor)
    {
        var schedule = new LearningRateSchedule(kind, 1f, 0f, 0, 0f, DecayEpochs: 15, DecayRate: 0.1f, [10, 20, 40], EpochStair: false, StepsPerEpoch: 4);
        Assert.Equal(factor, schedule.At(epoch * 4L), 6);
    }
}
