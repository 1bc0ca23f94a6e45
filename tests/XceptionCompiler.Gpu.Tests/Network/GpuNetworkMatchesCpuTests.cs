using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Network;

/// <summary>
/// Every generated kernel of a network, run on ILGPU's CPU accelerator, against the generated CPU code of the same
/// network with the same weights and input: logits in both modes, running statistics, every parameter gradient and
/// the input gradient. Tiny uses every op and fusion; FashionXception is the default network's real shapes.
/// </summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuNetworkMatchesCpuTests(CpuAccelerator device)
{
    // float32 on both sides with different summation orders: relative error well below these is expected.
    private const double LogitsTolerance = 1e-4;
    private const double GradientTolerance = 1e-3;

    public static TheoryData<string, int> Networks => new() { { "Tiny", 3 }, { "Tiny", 1 }, { "FashionXception", 2 } };

    [Theory]
    [MemberData(nameof(Networks))]
    public void EvaluationLogitsMatchTheCpuBackend(string name, int batch)
    {
        (ICompiledNetwork cpu, GpuNetwork gpu) = Pair(name, batch, seed: 5);
        using (gpu)
        {
            float[] input = NetworkFixtures.Input(cpu, batch, seed: 3);
            var expected = new float[batch * cpu.OutputSize];
            var actual = new float[expected.Length];

            cpu.ForwardEval(input, batch, expected);
            gpu.ForwardEval(input, batch, actual);

            TensorAssert.MaxAbsRelative("logits", expected, actual, LogitsTolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainingForwardAndBackwardMatchTheCpuBackend(string name, int batch)
    {
        (ICompiledNetwork cpu, GpuNetwork gpu) = Pair(name, batch, seed: 7);
        using (gpu)
        {
            // Dropout stays on: the GPU must draw the CPU's masks from the same seed and step.
            cpu.DropoutSeed = gpu.DropoutSeed = 1234;
            float[] input = NetworkFixtures.Input(cpu, batch, seed: 11);
            float[] logitsGradient = TensorRandom.Uniform(batch * cpu.OutputSize, seed: 13);
            var expectedLogits = new float[batch * cpu.OutputSize];
            var actualLogits = new float[expectedLogits.Length];
            var expectedInputGradient = new float[input.Length];
            var actualInputGradient = new float[input.Length];

            cpu.ZeroGradients();
            cpu.ForwardTrain(input, batch, expectedLogits);
            cpu.Backward(logitsGradient, expectedInputGradient);
            gpu.ForwardTrain(input, batch, actualLogits);
            gpu.Backward(logitsGradient, actualInputGradient);

            TensorAssert.MaxAbsRelative("logits", expectedLogits, actualLogits, LogitsTolerance);
            float[] cpuStatistics = cpu.Statistics.ToArray();
            gpu.CopyToHost();
            TensorAssert.RelativeL2("running statistics", cpuStatistics, gpu.Host.Statistics, 1e-5);
            var gradients = new float[cpu.Gradients.Length];
            gpu.CopyGradientsTo(gradients);
            foreach (NetworkTensor tensor in cpu.Tensors.Where(t => t.Trainable))
            {
                TensorAssert.RelativeL2("gradient of " + tensor.Name, cpu.Gradients.AsSpan(tensor.Offset, tensor.Length), gradients.AsSpan(tensor.Offset, tensor.Length), GradientTolerance, tensor.Shape);
            }

            TensorAssert.RelativeL2("input gradient", expectedInputGradient, actualInputGradient, GradientTolerance);
        }
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        (ICompiledNetwork cpu, GpuNetwork gpu) = Pair("Tiny", 2, seed: 9);
        using (gpu)
        {
            gpu.DropoutEnabled = false;
            float[] input = NetworkFixtures.Input(cpu, 2, seed: 1);
            float[] logitsGradient = TensorRandom.Uniform(2 * cpu.OutputSize, seed: 2);
            var logits = new float[2 * cpu.OutputSize];
            var once = new float[cpu.Gradients.Length];
            var twice = new float[cpu.Gradients.Length];

            gpu.ForwardTrain(input, 2, logits);
            gpu.Backward(logitsGradient, []);
            gpu.CopyGradientsTo(once);
            gpu.ForwardTrain(input, 2, logits);
            gpu.Backward(logitsGradient, []);
            gpu.CopyGradientsTo(twice);
            gpu.ZeroGradients();
            var zeroed = new float[cpu.Gradients.Length];
            gpu.CopyGradientsTo(zeroed);

            Assert.Contains(once, value => value != 0);
            TensorAssert.RelativeL2("twice the gradient", once.Select(v => 2 * v).ToArray(), twice, 1e-5);
            Assert.All(zeroed, value => Assert.Equal(0f, value));
        }
    }

    [Fact]
    public void BackwardWithoutATrainingForwardIsAClearError()
    {
        (_, GpuNetwork gpu) = Pair("Tiny", 1, seed: 1);
        using (gpu)
        {
            var logits = new float[gpu.Host.OutputSize];
            gpu.ForwardEval(new float[162], 1, logits);
            var error = Assert.Throws<InvalidOperationException>(() => gpu.Backward(logits, []));
            Assert.Contains("ForwardTrain", error.Message);
        }
    }

    private (ICompiledNetwork Cpu, GpuNetwork Gpu) Pair(string name, int batch, int seed) => NetworkTwins.CpuAndGpu(device.Accelerator, name, batch, seed);
}
