using XceptionCompiler.Models;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Training.Tests;

/// <summary>
/// gradient_accumulation_steps = k sums k micro-batch gradients, each scaled by 1/k, into one optimizer step. With k
/// identical micro-batches that is one step on one of them, up to the rounding of summing in a different order.
/// </summary>
public sealed class GradientAccumulationTests(GeneratedFolder folder) : IClassFixture<GeneratedFolder>
{
    [Fact]
    public void TwoIdenticalMicroBatchesMakeExactlyTheStepOfOne()
    {
        ICompiledNetwork start = Step(copies: 1, accumulation: 1, train: false);
        ICompiledNetwork once = Step(copies: 1, accumulation: 1);
        ICompiledNetwork twice = Step(copies: 2, accumulation: 2);

        // Compare the updates, not the weights, which barely move in one step.
        float[] Update(ICompiledNetwork n) => n.Parameters.Select((v, i) => v - start.Parameters[i]).ToArray();
        TensorAssert.RelativeL2("update of one optimizer step", Update(once), Update(twice), 1e-5);
        Assert.Equal(1, once.Step);
        Assert.True(Update(once).Any(v => v != 0), "the step moved nothing");
        Assert.Equal(2, twice.Step);
    }

    private ICompiledNetwork Step(int copies, int accumulation, bool train = true)
    {
        TrainConfig config = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 1) with
        {
            GradientAccumulationSteps = accumulation,
            Ema = false,
            Scheduler = "constant",
            WarmupEpochs = 0,
            ValWhileTrain = false,
            BatchSize = 4,
        };
        var network = new MiniXception(4) { DropoutEnabled = false };
        ParameterInit.Initialize(network, seed: 3);
        ImageTransform transform = Transforms.Eval(TrainingData.Augmentation(config), channels: 3);
        using var data = new DataLoader(new RepeatingSource(distinct: 4, copies, classes: 4), transform, new LoaderOptions(4, Shuffle: false, Workers: 0));
        var trainer = new Trainer(network, config, data, null, LocalGradientReducer.Instance, new ProgressReporter(TextWriter.Null, interactive: false, 1));
        Assert.Equal(1, trainer.StepsPerEpoch);
        if (train)
        {
            trainer.Run();
        }

        return network;
    }
}
