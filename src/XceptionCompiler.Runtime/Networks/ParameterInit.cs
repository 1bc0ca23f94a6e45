namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// Default initialisation, as timm's legacy Xception does it: Kaiming-normal (fan-out, ReLU gain) for
/// convolutions, unit scale and zero shift for batch norm, PyTorch's Linear default (uniform +-1/sqrt(fan-in))
/// for dense layers; running mean 0 and variance 1. Deterministic for a seed.
/// </summary>
public static class ParameterInit
{
    public static void Initialize(ICompiledNetwork network, int seed)
    {
        var random = new Random(seed);
        foreach (NetworkTensor tensor in network.Tensors)
        {
            Span<float> values = (tensor.Trainable ? network.Parameters : network.Statistics).AsSpan(tensor.Offset, tensor.Length);
            switch (tensor.Role)
            {
                case TensorRole.ConvWeight:
                case TensorRole.DepthwiseWeight:
                    int fanOut = tensor.Shape[0] * tensor.Shape[2] * tensor.Shape[3];
                    FillNormal(values, Math.Sqrt(2.0 / fanOut), random);
                    break;
                case TensorRole.DenseWeight:
                    FillUniform(values, 1.0 / Math.Sqrt(tensor.Shape[1]), random);
                    break;
                case TensorRole.Bias:
                    int fanIn = FanInOfBias(network, tensor);
                    FillUniform(values, fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0, random);
                    break;
                case TensorRole.NormWeight:
                case TensorRole.RunningVariance:
                    values.Fill(1f);
                    break;
                default:
                    values.Clear();
                    break;
            }
        }

        network.Step = 0;
    }

    /// <summary>The fan-in of the weight that a bias belongs to (same module name), as PyTorch uses for its bias bound.</summary>
    private static int FanInOfBias(ICompiledNetwork network, NetworkTensor bias)
    {
        string weightName = bias.Name[..^"bias".Length] + "weight";
        NetworkTensor? weight = network.Tensors.FirstOrDefault(t => t.Name == weightName);
        return weight is null ? 0 : weight.Length / weight.Shape[0];
    }

    private static void FillNormal(Span<float> values, double std, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            // Box-Muller: two uniforms give one standard normal.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }

    private static void FillUniform(Span<float> values, double bound, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2.0) - 1.0) * bound);
        }
    }
}
