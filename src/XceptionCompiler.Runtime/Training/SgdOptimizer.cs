using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// SGD with momentum (optionally Nesterov) and decoupled-by-tensor weight decay, as PyTorch and MindSpore define it:
/// g = grad + wd*w;  v = momentum*v + g;  w -= lr * (nesterov ? g + momentum*v : v).
/// The momentum buffer has the parameter buffer's layout, so it saves and restores as one tensor.
/// </summary>
public sealed class SgdOptimizer
{
    private readonly ICompiledNetwork network;
    private readonly (int Offset, int Length, float Decay)[] groups;

    public SgdOptimizer(ICompiledNetwork network, float momentum, float weightDecay, WeightDecayFilter filter, bool nesterov)
    {
        this.network = network;
        Momentum = momentum;
        Nesterov = nesterov;
        Velocity = new float[network.Parameters.Length];
        groups = network.Tensors
            .Where(t => t.Trainable)
            .Select(t => (t.Offset, t.Length, filter.Decays(t) ? weightDecay : 0f))
            .ToArray();
    }

    public float Momentum { get; }

    /// <summary>Each trainable tensor's place in the parameter buffer and the weight decay it gets (the filter decided).</summary>
    public IReadOnlyList<(int Offset, int Length, float Decay)> Groups => groups;

    public bool Nesterov { get; }

    /// <summary>The momentum buffer (same layout as the parameters).</summary>
    public float[] Velocity { get; }

    /// <summary>Applies one update from the network's current gradients.</summary>
    public void Step(float learningRate)
    {
        float[] parameters = network.Parameters;
        float[] gradients = network.Gradients;
        foreach ((int offset, int length, float decay) in groups)
        {
            for (int i = offset; i < offset + length; i++)
            {
                float g = gradients[i] + (decay * parameters[i]);
                float v = (Momentum * Velocity[i]) + g;
                Velocity[i] = v;
                parameters[i] -= learningRate * (Nesterov ? g + (Momentum * v) : v);
            }
        }
    }
}
