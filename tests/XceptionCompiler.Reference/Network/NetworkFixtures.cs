using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Reference.Network;

/// <summary>Networks with every tensor randomised (so a wrong index anywhere shows), and their inputs.</summary>
public static class NetworkFixtures
{
    /// <summary>Randomises weights around their default scale, and BN scale, shift and running statistics.</summary>
    public static T Randomized<T>(T network, int seed)
        where T : ICompiledNetwork
    {
        network.InitializeParametersFor(seed);
        var random = new Random(seed);
        foreach (NetworkTensor tensor in network.Tensors)
        {
            Span<float> values = (tensor.Trainable ? network.Parameters : network.Statistics).AsSpan(tensor.Offset, tensor.Length);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = tensor.Role switch
                {
                    TensorRole.NormWeight => 0.5f + random.NextSingle(),
                    TensorRole.NormBias or TensorRole.Bias => 0.2f * (random.NextSingle() - 0.5f),
                    TensorRole.RunningMean => 0.2f * (random.NextSingle() - 0.5f),
                    TensorRole.RunningVariance => 0.5f + random.NextSingle(),
                    _ => values[i],
                };
            }
        }

        return network;
    }

    public static float[] Input(ICompiledNetwork network, int batch, int seed) =>
        TensorRandom.Uniform(batch * network.InputShape.Aggregate(1, (a, b) => a * b), seed);

    private static void InitializeParametersFor(this ICompiledNetwork network, int seed) => ParameterInit.Initialize(network, seed);
}
