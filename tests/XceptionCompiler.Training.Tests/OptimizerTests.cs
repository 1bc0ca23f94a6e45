using XceptionCompiler.Models;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Training.Tests;

/// <summary>SGD with momentum, Nesterov and weight-decay filters; the weight average; gradient clipping.</summary>
public sealed class OptimizerTests
{
    [Theory]
    [InlineData(false, "disable")]
    [InlineData(true, "auto")]
    [InlineData(true, "norm_and_bias")]
    public void SgdMatchesTheUpdateRuleOverTwoSteps(bool nesterov, string filter)
    {
        var network = new Tiny(1);
        var optimizer = new SgdOptimizer(network, momentum: 0.9f, weightDecay: 0.01f, WeightDecayFilters.Parse(filter), nesterov);
        NetworkTensor conv = network.Tensors.First(t => t.Role == TensorRole.ConvWeight);
        NetworkTensor gamma = network.Tensors.First(t => t.Role == TensorRole.NormWeight);
        float[] start = network.Parameters.ToArray();
        var velocity = new double[start.Length];
        var expected = start.Select(v => (double)v).ToArray();
        for (int step = 0; step < 2; step++)
        {
            for (int i = 0; i < network.Gradients.Length; i++)
            {
                network.Gradients[i] = 0.01f * ((i % 7) - 3 + step);
            }

            foreach (NetworkTensor tensor in new[] { conv, gamma })
            {
                bool decays = filter == "disable" || tensor.Role == TensorRole.ConvWeight;
                for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
                {
                    double g = network.Gradients[i] + (decays ? 0.01 * expected[i] : 0);
                    velocity[i] = (0.9 * velocity[i]) + g;
                    expected[i] -= 0.5 * (nesterov ? g + (0.9 * velocity[i]) : velocity[i]);
                }
            }

            optimizer.Step(0.5f);
        }

        foreach (NetworkTensor tensor in new[] { conv, gamma })
        {
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - network.Parameters[i]) < 1e-5, $"{tensor.Name}[{i - tensor.Offset}]: expected {expected[i]}, got {network.Parameters[i]}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SgdStepIsTheFloatUpdateRuleElementByElementAndCanClearTheGradients(bool nesterov)
    {
        // Xception has tensors of many 32K-float blocks and short ones: vector bodies, scalar tails, many blocks.
        var network = new Xception(1);
        var optimizer = new SgdOptimizer(network, momentum: 0.9f, weightDecay: 0.01f, WeightDecayFilter.Auto, nesterov);
        Assert.Contains(network.Tensors, t => t.Trainable && t.Length > 1 << 15);
        float[] w = network.Parameters.ToArray(), v = new float[w.Length];
        for (int step = 0; step < 2; step++)
        {
            for (int i = 0; i < network.Gradients.Length; i++)
            {
                network.Gradients[i] = 0.01f * ((i % 7) - 3 + step);
            }

            foreach (NetworkTensor tensor in network.Tensors.Where(t => t.Trainable))
            {
                float decay = WeightDecayFilter.Auto.Decays(tensor) ? 0.01f : 0f;
                for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
                {
                    float g = network.Gradients[i] + (decay * w[i]);
                    v[i] = (0.9f * v[i]) + g;
                    w[i] -= 0.5f * (nesterov ? g + (0.9f * v[i]) : v[i]);
                }
            }

            optimizer.Step(0.5f, clearGradients: step == 1);
        }

        Assert.Equal(w, network.Parameters);
        Assert.Equal(v, optimizer.Velocity);
        Assert.All(network.Gradients, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void WeightAverageFollowsTheWeightsAndSwapsBothWays()
    {
        var network = new Tiny(1);
        var average = new WeightAverage(network, 0.75f);
        float first = network.Parameters[0];
        network.Parameters[0] = first + 4f;
        average.Update();
        Assert.Equal(first + 1f, average.Parameters[0], 5);

        average.SwapInto();
        Assert.Equal(first + 1f, network.Parameters[0], 5);
        average.SwapInto();
        Assert.Equal(first + 4f, network.Parameters[0], 5);
    }

    [Fact]
    public void ClippingScalesToTheMaximumNormOnlyWhenAbove()
    {
        float[] gradients = [3f, 4f];
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm(gradients, 1f), 6);
        Assert.Equal(0.6f, gradients[0], 6);
        Assert.Equal(0.8f, gradients[1], 6);

        float[] small = [0.3f, 0.4f];
        GradientClipping.ClipByGlobalNorm(small, 1f);
        Assert.Equal([0.3f, 0.4f], small);
    }
}
