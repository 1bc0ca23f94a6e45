using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Cli.Benchmarks;

/// <summary>
/// `xception bench --check`: the GPU backend against the CPU backend with the same weights and batch. One evaluation
/// forward (largest logit difference relative to the largest CPU logit), then one training step on each (forward,
/// loss, backward, SGD): the relative difference of the losses and the relative L2 difference of the parameter
/// updates, which is what the gradients decide.
/// </summary>
internal static class GpuCheck
{
    public sealed record Result(double LogitsMaxRelative, double LossRelative, double ParameterUpdatesRelativeL2);

    public static Result Run(ICompiledNetwork cpu, GpuNetwork gpu, int batch)
    {
        const float learningRate = 0.1f; // large enough that the update stands out from float rounding of the weights
        var random = new Random(2);
        float[] input = Enumerable.Range(0, batch * gpu.InputFloats).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        int[] labels = Enumerable.Range(0, batch).Select(i => i % cpu.OutputSize).ToArray();
        var cpuLogits = new float[batch * cpu.OutputSize];
        var gpuLogits = new float[cpuLogits.Length];
        cpu.ForwardEval(input, batch, cpuLogits);
        gpu.ForwardEval(input, batch, gpuLogits);
        double largest = cpuLogits.Max(v => Math.Abs((double)v));
        double logits = cpuLogits.Zip(gpuLogits, (a, b) => Math.Abs((double)a - b)).Max() / Math.Max(largest, 1e-30);

        // Dropout off on both: the masks agree, but one step of a random network should not hinge on them.
        cpu.DropoutEnabled = gpu.DropoutEnabled = false;
        float[] before = cpu.Parameters.ToArray();
        var optimizer = new SgdOptimizer(cpu, 0.9f, 1e-5f, WeightDecayFilter.Disable, nesterov: false);
        var logitsGradient = new float[cpuLogits.Length];
        cpu.ZeroGradients();
        cpu.ForwardTrain(input, batch, cpuLogits);
        double cpuLoss = SoftmaxCrossEntropy.Compute(cpuLogits, labels, batch, cpu.OutputSize, 0.1f, logitsGradient);
        cpu.Backward(logitsGradient, []);
        optimizer.Step(learningRate);

        using var step = new GpuTrainingStep(gpu, new SgdOptimizer(gpu.Host, 0.9f, 1e-5f, WeightDecayFilter.Disable, nesterov: false), labelSmoothing: 0.1f);
        gpu.ZeroGradients();
        double gpuLoss = step.ForwardBackward(input, labels, batch).MeanLoss;
        step.Update(learningRate);
        gpu.CopyToHost();

        double difference = 0, norm = 0;
        for (int i = 0; i < before.Length; i++)
        {
            double cpuUpdate = cpu.Parameters[i] - (double)before[i];
            double gpuUpdate = gpu.Host.Parameters[i] - (double)before[i];
            difference += (cpuUpdate - gpuUpdate) * (cpuUpdate - gpuUpdate);
            norm += cpuUpdate * cpuUpdate;
        }

        return new Result(logits, Math.Abs(cpuLoss - gpuLoss) / Math.Max(Math.Abs(cpuLoss), 1e-30), Math.Sqrt(difference / Math.Max(norm, 1e-300)));
    }
}
