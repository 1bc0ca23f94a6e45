using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Training.Tests;

/// <summary>Whole runs: exact resume, learning, divergence, checkpoint policies, logs and plots.</summary>
public sealed class TrainerTests(GeneratedFolder folder) : IClassFixture<GeneratedFolder>
{
    [Fact]
    public void TwoEpochsEqualOneEpochResumedForOneMoreBitForBit()
    {
        TrainConfig straight = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 2);
        (ICompiledNetwork a, TrainingSummary runA) = TrainingRuns.Train(straight);

        TrainConfig first = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 1);
        (_, TrainingSummary runB1) = TrainingRuns.Train(first);
        (ICompiledNetwork b, TrainingSummary runB2) = TrainingRuns.Train(first with { EpochSize = 2 }, resume: runB1.LastCheckpoint);

        TensorAssert.Identical("live parameters", a.Parameters, b.Parameters);
        TensorAssert.Identical("running statistics", a.Statistics, b.Statistics);
        Assert.Equal(a.Step, b.Step);
        using SafeTensorsFile savedA = SafeTensorsFile.Open(runA.LastCheckpoint!), savedB = SafeTensorsFile.Open(runB2.LastCheckpoint!);
        foreach (SafeTensorInfo tensor in savedA.Tensors)
        {
            TensorAssert.Identical("saved (averaged) " + tensor.Name, savedA.ReadFloats(tensor.Name), savedB.ReadFloats(tensor.Name));
        }

        Assert.Equal(runA.Epochs[^1].ValidationTop1, runB2.Epochs[^1].ValidationTop1);
    }

    [Fact]
    public void TrainingLearnsTheClassesAndLogsEveryEpoch()
    {
        TrainConfig config = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 6) with { Lr = 0.1, AutoAugment = null, ReProb = 0 };
        (_, TrainingSummary summary) = TrainingRuns.Train(config);

        Assert.Equal(6, summary.Epochs.Count);
        Assert.True(summary.Best!.ValidationTop1 >= 0.75, $"best validation top-1 {summary.Best.ValidationTop1:P1} after 6 epochs on four colours (chance is 25%)");
        Assert.True(summary.Epochs[^1].TrainLoss < summary.Epochs[0].TrainLoss, "the training loss did not fall");
        IReadOnlyList<EpochMetrics> logged = MetricsLog.ReadEpochs(Path.Combine(config.CkptSaveDir, "metrics.jsonl"));
        Assert.Equal(summary.Epochs.Select(e => e.ValidationTop1), logged.Select(e => e.ValidationTop1));
        byte[] png = File.ReadAllBytes(Path.Combine(config.CkptSaveDir, "curves.png"));
        Assert.True(png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "curves.png is not a PNG");
    }

    [Fact]
    public void ANonFiniteLossStopsAtItsStepAndKeepsTheLastGoodCheckpoint()
    {
        TrainConfig config = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 1);
        (_, TrainingSummary good) = TrainingRuns.Train(config);
        byte[] before = File.ReadAllBytes(good.LastCheckpoint!);

        var error = Assert.Throws<TrainingDivergedException>(() => TrainingRuns.Train(config with { EpochSize = 2, Lr = 1e30, WarmupEpochs = 0 }, resume: good.LastCheckpoint));

        Assert.Contains("at epoch 2, step", error.Message);
        Assert.Contains(good.LastCheckpoint!, error.Message);
        Assert.Equal(before, File.ReadAllBytes(good.LastCheckpoint!));
        Assert.Single(Directory.GetFiles(config.CkptSaveDir, "mini_xception-*.safetensors"));
    }

    [Theory]
    [InlineData("latest_k", new[] { 2, 3 })]
    [InlineData("top_k", null)]
    public void OldCheckpointsArePrunedByPolicy(string policy, int[]? expectedEpochs)
    {
        TrainConfig config = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 3) with { KeepCheckpointMax = 2, CkptSavePolicy = policy };
        (_, TrainingSummary summary) = TrainingRuns.Train(config);

        var kept = new TrainingCheckpoints(config.CkptSaveDir, "mini_xception", 2, policy).List();
        Assert.Equal(2, kept.Count);
        Assert.All(kept, path => Assert.True(File.Exists(Path.Combine(config.CkptSaveDir, "optim_" + Path.GetFileName(path))), "no state file beside " + path));
        IEnumerable<int> epochs = kept.Select(path => int.Parse(Path.GetFileName(path).Split('-', '_')[2], System.Globalization.CultureInfo.InvariantCulture));
        if (expectedEpochs is not null)
        {
            Assert.Equal(expectedEpochs, epochs);
        }
        else
        {
            // top_k keeps the two best validation accuracies.
            double[] best = summary.Epochs.Select(e => e.ValidationTop1!.Value).OrderDescending().Take(2).ToArray();
            Assert.Equal(best, kept.Select(path => TrainingCheckpoints.RecordedTop1(path)!.Value).OrderDescending());
        }
    }

    [Fact]
    public void ResumingWithoutTheStateFileIsAClearError()
    {
        TrainConfig config = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 1);
        (_, TrainingSummary run) = TrainingRuns.Train(config);
        File.Delete(Path.Combine(config.CkptSaveDir, "optim_" + Path.GetFileName(run.LastCheckpoint!)));

        var error = Assert.Throws<TrainingException>(() => TrainingRuns.Train(config with { EpochSize = 2 }, resume: run.LastCheckpoint));
        Assert.Contains("optim_", error.Message);
    }

    [Fact]
    public void AMissingDataDirectoryIsAClearError()
    {
        TrainConfig config = TrainingRuns.Config(folder, folder.NewRunDirectory(), epochs: 1) with { DataDir = Path.Combine(folder.Root, "nowhere") };
        var error = Assert.Throws<DataException>(() => TrainingRuns.Train(config));
        Assert.Contains("nowhere", error.Message);
    }
}
