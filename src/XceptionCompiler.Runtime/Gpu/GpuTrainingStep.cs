using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// A training step that stays on the device: forward, softmax cross-entropy, backward and the SGD update run as
/// kernels over the GPU network's buffers and this step's momentum buffer. Only the batch and its labels go in, and
/// per-sample losses and top-1 hits come back (2 floats per image), as <see cref="SoftmaxCrossEntropy"/> and
/// <see cref="SgdOptimizer"/> define them on the CPU.
/// </summary>
public sealed class GpuTrainingStep : IDisposable
{
    private readonly GpuNetwork network;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> velocity;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> labels;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> losses;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> top1;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> top5;
    private readonly (int Offset, int Length, float Decay)[] groups;
    private readonly float labelSmoothing;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, float> loss;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float> update;
    private int batch;

    public GpuTrainingStep(GpuNetwork network, float momentum, float weightDecay, WeightDecayFilter filter, bool nesterov, float labelSmoothing)
    {
        if (labelSmoothing is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 1)");
        }

        this.network = network;
        Momentum = momentum;
        Nesterov = nesterov;
        this.labelSmoothing = labelSmoothing;
        Accelerator accelerator = network.Accelerator;
        int maxBatch = network.MaxBatch;
        velocity = accelerator.Allocate1D<float>(Math.Max(1, network.Host.Parameters.Length));
        velocity.MemSetToZero();
        labels = accelerator.Allocate1D<int>(maxBatch);
        losses = accelerator.Allocate1D<float>(maxBatch);
        top1 = accelerator.Allocate1D<float>(maxBatch);
        top5 = accelerator.Allocate1D<float>(maxBatch);
        groups = DecayRuns(network.Host, weightDecay, filter);
        loss = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, float>(GpuSoftmaxCrossEntropy.Compute);
        update = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float>(nesterov ? NesterovUpdate : MomentumUpdate);
    }

    public float Momentum { get; }

    public bool Nesterov { get; }

    /// <summary>Device bytes this step holds besides the network's (the momentum buffer, mostly).</summary>
    public long DeviceBytes => (velocity.Length + losses.Length + top1.Length + top5.Length) * sizeof(float) + (labels.Length * sizeof(int));

    /// <summary>
    /// Forward in training mode, the loss and its gradient (scaled by <paramref name="gradientScale"/>, e.g. 1 / accumulation
    /// steps), and backward; gradients accumulate on the device until <see cref="Update"/>. Returns the mean loss and the
    /// top-1 hits of the batch.
    /// </summary>
    public (double MeanLoss, int Top1Hits) ForwardBackward(ReadOnlySpan<float> input, ReadOnlySpan<int> batchLabels, int batchSize, float gradientScale = 1f)
    {
        network.SetBatch(batchSize);
        batch = batchSize;
        network.InputView(training: true).CopyFromCPU(input[..(batchSize * network.InputFloats)]);
        labels.View.AsContiguous().SubView(0, batchSize).CopyFromCPU(batchLabels[..batchSize]);
        network.RunForwardTrain();
        int classes = network.Host.OutputSize;
        loss(GpuSoftmaxCrossEntropy.ComputeConfig(batchSize, classes), network.LogitsView, labels.View.SubView(0, batchSize), losses.View.SubView(0, batchSize),
            network.LogitsGradientView, top1.View.SubView(0, batchSize), top5.View.SubView(0, batchSize), batchSize, classes, labelSmoothing, gradientScale);
        network.RunBackward(wantInputGradient: false);
        var sampleLosses = new float[batchSize];
        var hits = new float[batchSize];
        network.Accelerator.Synchronize();
        losses.View.AsContiguous().SubView(0, batchSize).CopyToCPU(sampleLosses);
        top1.View.AsContiguous().SubView(0, batchSize).CopyToCPU(hits);
        return (sampleLosses.Sum(v => (double)v) / batchSize, (int)hits.Sum());
    }

    /// <summary>One SGD update from the accumulated gradients, which are then zeroed.</summary>
    public void Update(float learningRate)
    {
        foreach ((int offset, int length, float decay) in groups)
        {
            update(GpuSgd.UpdateConfig(length), network.ParameterView.SubView(offset, length), network.GradientView.SubView(offset, length), velocity.View.SubView(offset, length),
                learningRate, Momentum, decay);
        }

        network.ZeroGradients();
    }

    /// <summary>The momentum buffer, for checkpoints (same layout as the parameters).</summary>
    public float[] ReadVelocity()
    {
        var values = new float[network.Host.Parameters.Length];
        network.Accelerator.Synchronize();
        velocity.View.AsContiguous().SubView(0, values.Length).CopyToCPU(values);
        return values;
    }

    public void WriteVelocity(float[] values) => velocity.View.AsContiguous().SubView(0, values.Length).CopyFromCPU(values);

    // Kernel parameters must be blittable (a bool is not), so the Nesterov choice is a constant of one of two kernels.
    private static void MomentumUpdate(ArrayView<float> parameters, ArrayView<float> gradients, ArrayView<float> velocity, float learningRate, float momentum, float weightDecay) =>
        GpuSgd.Update(parameters, gradients, velocity, learningRate, momentum, weightDecay, nesterov: false);

    private static void NesterovUpdate(ArrayView<float> parameters, ArrayView<float> gradients, ArrayView<float> velocity, float learningRate, float momentum, float weightDecay) =>
        GpuSgd.Update(parameters, gradients, velocity, learningRate, momentum, weightDecay, nesterov: true);

    /// <summary>Trainable tensors merged into runs of one weight decay, so one launch covers each run.</summary>
    private static (int Offset, int Length, float Decay)[] DecayRuns(ICompiledNetwork host, float weightDecay, WeightDecayFilter filter)
    {
        var runs = new List<(int Offset, int Length, float Decay)>();
        foreach (NetworkTensor tensor in host.Tensors.Where(t => t.Trainable).OrderBy(t => t.Offset))
        {
            float decay = filter.Decays(tensor) ? weightDecay : 0f;
            if (runs.Count > 0 && runs[^1].Decay == decay && runs[^1].Offset + runs[^1].Length == tensor.Offset)
            {
                runs[^1] = (runs[^1].Offset, runs[^1].Length + tensor.Length, decay);
            }
            else
            {
                runs.Add((tensor.Offset, tensor.Length, decay));
            }
        }

        return runs.ToArray();
    }

    public void Dispose()
    {
        velocity.Dispose();
        labels.Dispose();
        losses.Dispose();
        top1.Dispose();
        top5.Dispose();
    }
}
