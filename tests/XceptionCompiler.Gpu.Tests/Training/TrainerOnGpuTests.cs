using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Models;
using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Data;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Training;

/// <summary>
/// The whole trainer on the GPU backend (ILGPU's CPU accelerator here) against the trainer on the compiled CPU class:
/// the same recipe, data and initial weights must give the same epoch metrics and, within float tolerance, the same
/// checkpoint. The recipe switches on every part the device step replaces: gradient accumulation, Nesterov momentum
/// with a weight-decay filter, clipping, label smoothing, dropout and the weight average.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class TrainerOnGpuTests(CpuAccelerator device) : IDisposable
{
    // Two optimizer steps of float32 arithmetic summed in different orders: the weights drift apart by rounding only.
    private const double WeightTolerance = 1e-3;

    private readonly string root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "xception-gpu-trainer-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void OneEpochOnTheGpuBackendMatchesTheCpuTrainer()
    {
        SyntheticImages.WriteFolder(Path.Combine(root, "data"), classes: 4, trainPerClass: 4, valPerClass: 1);
        (TrainingSummary onCpu, ICompiledNetwork cpuNetwork) = Train("cpu", gpu: false);
        (TrainingSummary onGpu, ICompiledNetwork gpuNetwork) = Train("gpu", gpu: true);

        EpochMetrics expected = onCpu.Epochs.Single(), actual = onGpu.Epochs.Single();
        Assert.Equal(expected.TrainLoss, actual.TrainLoss, 1e-4 * expected.TrainLoss);
        Assert.Equal(expected.TrainTop1, actual.TrainTop1);
        Assert.Equal(expected.ValidationTop1, actual.ValidationTop1);
        Assert.Equal(expected.ValidationLoss!.Value, actual.ValidationLoss!.Value, 1e-3 * expected.ValidationLoss.Value);

        // Run returns with the host network holding the device's live weights.
        TensorAssert.RelativeL2("live parameters", cpuNetwork.Parameters, gpuNetwork.Parameters, WeightTolerance);
        TensorAssert.RelativeL2("running statistics", cpuNetwork.Statistics, gpuNetwork.Statistics, WeightTolerance);
        Assert.Equal(cpuNetwork.Step, gpuNetwork.Step);

        // The checkpoints: averaged weights, and the state (momentum, live weights) a resume reads.
        foreach ((string cpuFile, string gpuFile) in new[] { (onCpu.LastCheckpoint!, onGpu.LastCheckpoint!), (StateOf(onCpu.LastCheckpoint!), StateOf(onGpu.LastCheckpoint!)) })
        {
            using SafeTensorsFile a = SafeTensorsFile.Open(cpuFile), b = SafeTensorsFile.Open(gpuFile);
            Assert.Equal(a.Tensors.Select(t => t.Name), b.Tensors.Select(t => t.Name));
            foreach (SafeTensorInfo tensor in a.Tensors.Where(t => t.Name != "num_batches_tracked" && !t.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)))
            {
                TensorAssert.RelativeL2(Path.GetFileName(cpuFile) + ": " + tensor.Name, a.ReadFloats(tensor.Name), b.ReadFloats(tensor.Name), WeightTolerance);
            }

            Assert.Equal(a.Metadata["network_step"], b.Metadata["network_step"]);
        }
    }

    private (TrainingSummary Summary, ICompiledNetwork Network) Train(string run, bool gpu)
    {
        TrainConfig config = TrainConfig.Default with
        {
            Model = "mini_xception",
            Dataset = "imagenet",
            DataDir = Path.Combine(root, "data"),
            ImageResize = 32,
            Scale = [0.5, 1.0],
            Mean = [127.5, 127.5, 127.5],
            Std = [127.5, 127.5, 127.5],
            BatchSize = 4,
            NumParallelWorkers = 2,
            EpochSize = 1,
            ValWhileTrain = true,
            GradientAccumulationSteps = 2,
            Opt = "sgd",
            Momentum = 0.9,
            UseNesterov = true,
            WeightDecay = 1e-3,
            WeightDecayFilter = "norm_and_bias",
            ClipGrad = true,
            ClipValue = 0.5,
            Lr = 0.05,
            Scheduler = "constant",
            WarmupEpochs = 0,
            LabelSmoothing = 0.1,
            Ema = true,
            EmaDecay = 0.5,
            CkptSaveDir = Path.Combine(root, run),
            Seed = 3,
            Device = gpu ? "gpu" : "cpu",
        };
        var network = new MiniXception(config.BatchSize);
        ParameterInit.Initialize(network, config.Seed);
        using DataLoader train = TrainingData.Open(config, network, training: true, LocalGradientReducer.Instance);
        using DataLoader validation = TrainingData.Open(config, network, training: false, LocalGradientReducer.Instance);
        GpuNetwork? twin = gpu ? GpuNetworkRegistry.Create(network, device.Accelerator) : null;
        using var trainer = new Trainer(network, config, train, validation, LocalGradientReducer.Instance, new ProgressReporter(TextWriter.Null, interactive: false, logInterval: 1), twin);
        return (trainer.Run(), network);
    }

    private static string StateOf(string weightsPath) => Path.Combine(Path.GetDirectoryName(weightsPath)!, "optim_" + Path.GetFileName(weightsPath));
}
