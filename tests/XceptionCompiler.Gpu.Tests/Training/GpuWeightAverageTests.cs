using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Training;

/// <summary><see cref="GpuWeightAverage"/> on the CPU accelerator against <see cref="WeightAverage"/>: the same float operations, so the same bits.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuWeightAverageTests(CpuAccelerator device)
{
    [Fact]
    public void UpdateAndSwapMatchWeightAverage()
    {
        (ICompiledNetwork cpu, GpuNetwork gpu) = NetworkTwins.CpuAndGpu(device.Accelerator, "Tiny", 1, seed: 19);
        using (gpu)
        {
            var expected = new WeightAverage(cpu, TrainingSetup.AverageDecay);
            var mirror = new WeightAverage(gpu.Host, TrainingSetup.AverageDecay);
            using var average = new GpuWeightAverage(gpu, mirror);

            // Two steps' worth of new live weights and statistics, each blended in on both sides.
            foreach (int seed in new[] { 1, 2 })
            {
                foreach (ICompiledNetwork network in new[] { cpu, gpu.Host })
                {
                    TensorRandom.Fill<float>(network.Parameters, seed);
                    TensorRandom.Fill<float>(network.Statistics, seed + 10, min: 0.5, max: 1.5);
                }

                gpu.CopyToDevice();
                expected.Update();
                average.Update();
            }

            average.CopyToHost();
            TensorAssert.Identical("averaged parameters", expected.Parameters, mirror.Parameters);
            TensorAssert.Identical("averaged statistics", expected.Statistics, mirror.Statistics);
            Assert.NotEqual(cpu.Parameters, expected.Parameters);

            expected.SwapInto();
            average.SwapInto();
            average.CopyToHost();
            gpu.CopyToHost();
            TensorAssert.Identical("live parameters after the swap", cpu.Parameters, gpu.Host.Parameters);
            TensorAssert.Identical("live statistics after the swap", cpu.Statistics, gpu.Host.Statistics);
            TensorAssert.Identical("averaged parameters after the swap", expected.Parameters, mirror.Parameters);
            TensorAssert.Identical("averaged statistics after the swap", expected.Statistics, mirror.Statistics);
        }
    }
}
