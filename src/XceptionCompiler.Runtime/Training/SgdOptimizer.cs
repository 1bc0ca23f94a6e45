using System.Numerics;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// SGD with momentum (optionally Nesterov) and decoupled-by-tensor weight decay, as PyTorch and MindSpore define it:
/// g = grad + wd*w;  v = momentum*v + g;  w -= lr * (nesterov ? g + momentum*v : v).
/// The momentum buffer has the parameter buffer's layout, so it saves and restores as one tensor. The update is a
/// memory-bound pass over three buffers (92 MB each for Xception), so it runs vectorized on every worker thread, in
/// blocks that are independent of the thread count: every element gets the same operations whatever the threads.
/// </summary>
public sealed unsafe class SgdOptimizer
{
    // Floats per block of work handed to a thread.
    private const int BlockFloats = 1 << 15;

    private readonly ICompiledNetwork network;
    private readonly (int Offset, int Length, float Decay)[] groups;
    private readonly (int Offset, int Length, float Decay)[] blocks;

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
        blocks = groups
            .SelectMany(g => Enumerable.Range(0, (g.Length + BlockFloats - 1) / BlockFloats)
                .Select(b => (g.Offset + (b * BlockFloats), Math.Min(BlockFloats, g.Length - (b * BlockFloats)), g.Decay)))
            .ToArray();
    }

    public float Momentum { get; }

    /// <summary>Each trainable tensor's place in the parameter buffer and the weight decay it gets (the filter decided).</summary>
    public IReadOnlyList<(int Offset, int Length, float Decay)> Groups => groups;

    public bool Nesterov { get; }

    /// <summary>The momentum buffer (same layout as the parameters).</summary>
    public float[] Velocity { get; }

    /// <summary>
    /// Applies one update from the network's current gradients; with <paramref name="clearGradients"/> it also zeroes
    /// each gradient once read (what <see cref="ICompiledNetwork.ZeroGradients"/> does, without a pass of its own).
    /// </summary>
    public void Step(float learningRate, bool clearGradients = false)
    {
        fixed (float* parameters = network.Parameters, gradients = network.Gradients, velocity = Velocity)
        fixed ((int Offset, int Length, float Decay)* work = blocks)
        {
            var body = new UpdateBody
            {
                Parameters = parameters, Gradients = gradients, Velocity = velocity, Blocks = work,
                LearningRate = learningRate, Momentum = Momentum, Nesterov = Nesterov, ClearGradients = clearGradients,
            };
            Workers.For(blocks.Length, ref body);
        }
    }

    private struct UpdateBody : IParallelBody
    {
        public float* Parameters, Gradients, Velocity;
        public (int Offset, int Length, float Decay)* Blocks;
        public float LearningRate, Momentum;
        public bool Nesterov, ClearGradients;

        public readonly void Run(int begin, int end)
        {
            for (int b = begin; b < end; b++)
            {
                (int offset, int length, float decay) = Blocks[b];
                Update(Parameters + offset, Gradients + offset, Velocity + offset, length, decay);
            }
        }

        // The update rule as written above, with no fused multiply-adds, on vectors and then on the rest.
        private readonly void Update(float* w, float* grad, float* velocity, int length, float decay)
        {
            var vDecay = new Vector<float>(decay);
            var vMomentum = new Vector<float>(Momentum);
            var vRate = new Vector<float>(LearningRate);
            int i = 0;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> weight = Vector.Load(w + i);
                Vector<float> g = Vector.Load(grad + i) + (vDecay * weight);
                Vector<float> v = (vMomentum * Vector.Load(velocity + i)) + g;
                v.Store(velocity + i);
                (weight - (vRate * (Nesterov ? g + (vMomentum * v) : v))).Store(w + i);
                if (ClearGradients)
                {
                    Vector<float>.Zero.Store(grad + i);
                }
            }

            for (; i < length; i++)
            {
                float g = grad[i] + (decay * w[i]);
                float v = (Momentum * velocity[i]) + g;
                velocity[i] = v;
                w[i] -= LearningRate * (Nesterov ? g + (Momentum * v) : v);
                if (ClearGradients)
                {
                    grad[i] = 0f;
                }
            }
        }
    }
}
