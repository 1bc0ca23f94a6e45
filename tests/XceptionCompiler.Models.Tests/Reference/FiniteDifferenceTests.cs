using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Kernels;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Models.Tests.Reference;

/// <summary>
/// The generated backward pass against central finite differences of the loss sum(logits * R), evaluated in double
/// precision by the naive interpreter (training mode: batch statistics, fixed dropout masks).
/// </summary>
public sealed class FiniteDifferenceTests
{
    private const int Batch = 3;
    private const double Epsilon = 1e-5;

    [Theory]
    [MemberData(nameof(SimdWidths.Paths), MemberType = typeof(SimdWidths))]
    public void GeneratedGradientsMatchFiniteDifferencesOnTheTinyNetwork(SimdWidth width)
    {
        using SimdPath.Scope path = SimdPath.Force(width);
        ICompiledNetwork network = NetworkFixtures.Randomized(new Tiny(Batch), seed: 21);
        network.DropoutSeed = 99;
        float[] input = NetworkFixtures.Input(network, Batch, seed: 22);
        float[] weights = TensorRandom.Uniform(Batch * network.OutputSize, seed: 23);
        var logits = new float[Batch * network.OutputSize];
        var inputGradient = new float[input.Length];
        network.ZeroGradients();
        network.ForwardTrain(input, Batch, logits);
        network.Backward(weights, inputGradient);
        long step = network.Step;

        var naive = new NaiveNetwork<double>(network);
        double[] x = input.Select(v => (double)v).ToArray();
        double Loss()
        {
            double[] output = naive.Forward(x, Batch, training: true, dropout: true, dropoutSeed: 99, step: step);
            return output.Select((v, i) => v * weights[i]).Sum();
        }

        var analytic = new List<double>();
        var numeric = new List<double>();
        var labels = new List<string>();
        var random = new Random(24);
        foreach (NetworkTensor tensor in network.Tensors.Where(t => t.Trainable))
        {
            for (int k = 0; k < 3; k++)
            {
                int index = tensor.Offset + random.Next(tensor.Length);
                analytic.Add(network.Gradients[index]);
                numeric.Add(CentralDifference(naive.Parameters, index, Loss));
                labels.Add($"{tensor.Name}[{index - tensor.Offset}]");
            }
        }

        for (int k = 0; k < 8; k++)
        {
            int index = random.Next(x.Length);
            analytic.Add(inputGradient[index]);
            numeric.Add(CentralDifference(x, index, Loss));
            labels.Add($"input[{index}]");
        }

        double error = TensorAssert.RelativeL2Error<double>(numeric.ToArray(), analytic.ToArray());
        string worst = Enumerable.Range(0, labels.Count)
            .OrderByDescending(i => Math.Abs(analytic[i] - numeric[i]))
            .Take(5)
            .Select(i => $"{labels[i]}: analytic {analytic[i]:G6}, numeric {numeric[i]:G6}")
            .Aggregate((a, b) => a + "\n" + b);
        Assert.True(error < 2e-3, $"relative L2 error {error:G3} between generated and finite-difference gradients; worst:\n{worst}");
    }

    private static double CentralDifference(double[] values, int index, Func<double> loss)
    {
        double original = values[index];
        values[index] = original + Epsilon;
        double plus = loss();
        values[index] = original - Epsilon;
        double minus = loss();
        values[index] = original;
        return (plus - minus) / (2 * Epsilon);
    }
}
