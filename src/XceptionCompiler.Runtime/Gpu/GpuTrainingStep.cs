using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// A training step that stays on the device: forward, softmax cross-entropy, backward, clipping and the SGD update run
/// as kernels over the GPU network's buffers and this step's momentum buffer, as <see cref="SoftmaxCrossEntropy"/>,
/// <see cref="GradientClipping"/> and <see cref="SgdOptimizer"/> define them on the CPU. Only the batch and its labels
/// go in, and per-sample losses and top-1 hits come back (2 floats per image), both through page-locked memory.
/// <para>
/// <see cref="Submit"/> uploads the batch on a copy stream of its own, which overlaps the previous micro-batch's
/// kernels on the default stream, and returns once the work is queued; <see cref="Collect"/> waits for the oldest
/// micro-batch's results. Up to <see cref="MaxInFlight"/> micro-batches may be in flight.
/// </para>
/// </summary>
public sealed class GpuTrainingStep : IDisposable
{
    /// <summary>Micro-batches submitted and not yet collected, at most: one computing, the next one's upload overlapping it.</summary>
    public const int MaxInFlight = 2;

    private readonly GpuNetwork network;
    private readonly SgdOptimizer optimizer;
    private readonly float labelSmoothing;
    private readonly (int Offset, int Length, float Decay)[] decayRuns;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> velocity;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> results;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> top5;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> partialSums;
    private readonly AcceleratorStream copyStream;
    private readonly PageLockedArray1D<float> pinnedInput;
    private readonly PageLockedArray1D<int> pinnedLabels;
    private readonly MicroBatchSlot[] slots;
    private readonly Queue<MicroBatchSlot> inFlight = new(MaxInFlight);
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, float> loss;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float> update;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>> sumOfSquares;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, float> clipToNorm;
    private long submitted;

    /// <summary>
    /// A step over <paramref name="network"/> (which the caller keeps and disposes) that updates as
    /// <paramref name="optimizer"/> says: its momentum, Nesterov choice and per-tensor weight decay. The optimizer's
    /// <see cref="SgdOptimizer.Velocity"/> is the host mirror of the device's momentum buffer, which starts from it.
    /// </summary>
    public GpuTrainingStep(GpuNetwork network, SgdOptimizer optimizer, float labelSmoothing)
    {
        if (labelSmoothing is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 1)");
        }

        this.network = network;
        this.optimizer = optimizer;
        this.labelSmoothing = labelSmoothing;
        decayRuns = DecayRuns(optimizer.Groups);
        Accelerator accelerator = network.Accelerator;
        int maxBatch = network.MaxBatch;
        velocity = accelerator.Allocate1D<float>(network.ParameterView.Length);
        velocity.MemSetToZero();
        results = accelerator.Allocate1D<float>(2 * maxBatch);
        top5 = accelerator.Allocate1D<float>(maxBatch);
        partialSums = accelerator.Allocate1D<float>(GpuSgd.MaxPartialSums);
        copyStream = accelerator.CreateStream();
        pinnedInput = accelerator.AllocatePageLocked1D<float>(checked((long)maxBatch * network.InputFloats), uninitialized: true);
        pinnedLabels = accelerator.AllocatePageLocked1D<int>(maxBatch, uninitialized: true);
        slots = [new MicroBatchSlot(accelerator, maxBatch, network.InputFloats), new MicroBatchSlot(accelerator, maxBatch, network.InputFloats)];
        loss = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, float>(GpuSoftmaxCrossEntropy.Compute);
        update = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float>(optimizer.Nesterov ? NesterovUpdate : MomentumUpdate);
        sumOfSquares = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(GpuSgd.SumOfSquares);
        clipToNorm = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, float>(GpuSgd.ClipToNorm);
        CopyVelocityToDevice();
    }

    /// <summary>Micro-batches submitted and not yet collected.</summary>
    public int Pending => inFlight.Count;

    /// <summary>Device bytes this step holds besides the network's (the momentum buffer, mostly).</summary>
    public long DeviceBytes => ((velocity.Length + results.Length + top5.Length + partialSums.Length) * sizeof(float)) + slots.Sum(s => s.DeviceBytes);

    /// <summary>
    /// Queues forward in training mode, the loss and its gradient (scaled by <paramref name="gradientScale"/>, e.g.
    /// 1 / accumulation steps) and backward of a micro-batch of <paramref name="n"/> images; gradients accumulate on the
    /// device until <see cref="Update"/>. The spans may be reused as soon as this returns.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="MaxInFlight"/> micro-batches are already in flight.</exception>
    public void Submit(ReadOnlySpan<float> input, ReadOnlySpan<int> labels, int n, float gradientScale)
    {
        if (inFlight.Count == MaxInFlight)
        {
            throw new InvalidOperationException($"{MaxInFlight} micro-batches are already in flight: Collect the oldest before submitting another");
        }

        NetworkGuard.CheckForward(network.Name, n, network.MaxBatch, input.Length, network.InputFloats, int.MaxValue, 0);
        if (labels.Length < n)
        {
            throw new ArgumentException($"{network.Name}: {labels.Length} labels for a batch of {n}", nameof(labels));
        }

        // Buffer reuse. Slots alternate, so with at most two micro-batches in flight (collected oldest first) the slot
        // taken here was last used by a micro-batch already collected: Collect waited for its marker, which the default
        // stream reaches only after that micro-batch's staging-to-arena copy, loss kernel (which read its staged labels)
        // and results download. The page-locked input (one for both slots) is read by the upload alone, which this call
        // waits for, so the next Submit may overwrite it.
        // Everything else (the arena, logits gradient, device results, gradients) is used only by the default stream,
        // in submission order. Why two device slots: the upload below runs while the default stream may not yet have
        // copied the previous micro-batch out of its staging. Why two result slots: that micro-batch's results may be
        // read by Collect while this one's are downloaded.
        MicroBatchSlot slot = slots[submitted++ % slots.Length];
        input[..(n * network.InputFloats)].CopyTo(pinnedInput.Span);
        labels[..n].CopyTo(pinnedLabels.Span);
        slot.Upload(pinnedInput, pinnedLabels, n, copyStream);
        // The kernels must not read the staging before it landed. ILGPU has no cross-stream wait, so the host waits
        // for the copy stream alone; the default stream keeps computing the previous micro-batch meanwhile.
        copyStream.Synchronize();

        AcceleratorStream compute = network.Accelerator.DefaultStream;
        network.SetBatch(n);
        slot.Input(n).CopyTo(compute, network.InputView(training: true));
        network.RunForwardTrain();
        int classes = network.OutputSize;
        loss(GpuSoftmaxCrossEntropy.ComputeConfig(n, classes), network.LogitsView, slot.Labels(n), Losses(n), network.LogitsGradientView,
            Top1Hits(n), top5.View.SubView(0, n), n, classes, labelSmoothing, gradientScale);
        network.RunBackward(wantInputGradient: false);
        slot.Download(results.View, n, compute);
        inFlight.Enqueue(slot);
    }

    /// <summary>Waits for the oldest micro-batch in flight and returns its mean loss and top-1 hits.</summary>
    /// <exception cref="InvalidOperationException">No micro-batch is in flight.</exception>
    public MicroBatchResult Collect() =>
        inFlight.TryDequeue(out MicroBatchSlot? slot)
            ? slot.Collect()
            : throw new InvalidOperationException("no micro-batch is in flight: Submit one before Collect");

    /// <summary><see cref="Submit"/> and <see cref="Collect"/> of one micro-batch, with none in flight before (benchmarks, checks).</summary>
    public MicroBatchResult ForwardBackward(ReadOnlySpan<float> input, ReadOnlySpan<int> labels, int n, float gradientScale = 1f)
    {
        if (inFlight.Count > 0)
        {
            throw new InvalidOperationException("ForwardBackward waits for its own micro-batch: Collect those in flight first");
        }

        Submit(input, labels, n, gradientScale);
        return Collect();
    }

    /// <summary>Scales the accumulated gradients so their global L2 norm is at most <paramref name="maxNorm"/>, on the device.</summary>
    public void ClipGradients(float maxNorm)
    {
        ArrayView<float> gradients = network.GradientView;
        KernelConfig sumConfig = GpuSgd.SumOfSquaresConfig((int)gradients.Length);
        ArrayView<float> sums = partialSums.View.SubView(0, sumConfig.GridDim.X);
        sumOfSquares(sumConfig, gradients, sums);
        clipToNorm(GpuSgd.UpdateConfig((int)gradients.Length), gradients, sums, maxNorm);
    }

    /// <summary>One SGD update from the accumulated gradients, which are then zeroed.</summary>
    public void Update(float learningRate)
    {
        foreach ((int offset, int length, float decay) in decayRuns)
        {
            update(GpuSgd.UpdateConfig(length), network.ParameterView.SubView(offset, length), network.GradientView.SubView(offset, length),
                velocity.View.SubView(offset, length), learningRate, optimizer.Momentum, decay);
        }

        network.ZeroGradients();
    }

    /// <summary>Copies the device's momentum buffer into the optimizer's <see cref="SgdOptimizer.Velocity"/> (before a checkpoint is written).</summary>
    public void CopyVelocityToHost()
    {
        network.Accelerator.Synchronize();
        velocity.View.SubView(0, optimizer.Velocity.Length).CopyToCPU(optimizer.Velocity);
    }

    /// <summary>Copies the optimizer's <see cref="SgdOptimizer.Velocity"/> to the device (at construction and after a checkpoint load).</summary>
    public void CopyVelocityToDevice() => velocity.View.SubView(0, optimizer.Velocity.Length).CopyFromCPU(optimizer.Velocity);

    private ArrayView<float> Losses(int n) => results.View.SubView(0, n);

    private ArrayView<float> Top1Hits(int n) => results.View.SubView(n, n);

    // Kernel parameters must be blittable (a bool is not), so the Nesterov choice is a constant of one of two kernels.
    private static void MomentumUpdate(ArrayView<float> parameters, ArrayView<float> gradients, ArrayView<float> velocity, float learningRate, float momentum, float weightDecay) =>
        GpuSgd.Update(parameters, gradients, velocity, learningRate, momentum, weightDecay, nesterov: false);

    private static void NesterovUpdate(ArrayView<float> parameters, ArrayView<float> gradients, ArrayView<float> velocity, float learningRate, float momentum, float weightDecay) =>
        GpuSgd.Update(parameters, gradients, velocity, learningRate, momentum, weightDecay, nesterov: true);

    /// <summary>The optimizer's tensors merged into runs of one weight decay, so one launch covers each run.</summary>
    private static (int Offset, int Length, float Decay)[] DecayRuns(IEnumerable<(int Offset, int Length, float Decay)> groups)
    {
        var runs = new List<(int Offset, int Length, float Decay)>();
        foreach ((int offset, int length, float decay) in groups.OrderBy(g => g.Offset))
        {
            if (runs.Count > 0 && runs[^1].Decay == decay && runs[^1].Offset + runs[^1].Length == offset)
            {
                runs[^1] = (runs[^1].Offset, runs[^1].Length + length, decay);
            }
            else
            {
                runs.Add((offset, length, decay));
            }
        }

        return runs.ToArray();
    }

    public void Dispose()
    {
        // Nothing may still be copying into or out of the buffers released below.
        network.Accelerator.Synchronize();
        foreach (MicroBatchSlot slot in slots)
        {
            slot.Dispose();
        }

        copyStream.Dispose();
        pinnedInput.Dispose();
        pinnedLabels.Dispose();
        velocity.Dispose();
        results.Dispose();
        top5.Dispose();
        partialSums.Dispose();
    }
}
