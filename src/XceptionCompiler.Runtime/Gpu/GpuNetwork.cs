using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// A compiled network on an ILGPU accelerator. The generated <c>Net.Gpu</c> class derives from it: it loads the
/// network's kernels (<c>Net.Kernels.g.cs</c>) and launches them over the CPU class's memory plan, so every arena
/// slot, parameter offset and saved statistic has the same place on the device as on the host.
/// Parameters, gradients, statistics and the arena stay on the device; the host network (<see cref="Host"/>) holds
/// the names and shapes, and the host copies that checkpoints read and write (<see cref="CopyToHost"/>,
/// <see cref="CopyToDevice"/>).
/// </summary>
public abstract class GpuNetwork : IInferenceNetwork, IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> gradients;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> statistics;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> saved;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> arena;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> batchNormScratch;
    private readonly long partialsFloats;
    private readonly int widestBatchNorm;
    private int trainedBatch;

    /// <summary>Allocates the device buffers, copies the host's parameters and statistics, and compiles every kernel.</summary>
    /// <param name="batchNorms">Channels and spatial size of every batch norm, which size the scratch their passes share.</param>
    protected GpuNetwork(ICompiledNetwork host, Accelerator accelerator, long savedFloats, long arenaFloatsPerImage, IReadOnlyList<(int Channels, int Spatial)> batchNorms)
    {
        Host = host;
        Accelerator = accelerator;
        parameters = accelerator.Allocate1D<float>(Math.Max(1, host.Parameters.Length));
        gradients = accelerator.Allocate1D<float>(Math.Max(1, host.Gradients.Length));
        statistics = accelerator.Allocate1D<float>(Math.Max(1, host.Statistics.Length));
        saved = accelerator.Allocate1D<float>(Math.Max(1, savedFloats));
        arena = accelerator.Allocate1D<float>(Math.Max(1, checked(arenaFloatsPerImage * host.MaxBatch)));
        // One batch norm runs at a time: its partial sums, then 3 backward coefficients and a scale and shift per channel.
        partialsFloats = batchNorms.Select(b => (long)BatchNormPartition.PartialsLength(b.Channels, b.Spatial)).DefaultIfEmpty(0).Max();
        widestBatchNorm = batchNorms.Select(b => b.Channels).DefaultIfEmpty(0).Max();
        batchNormScratch = accelerator.Allocate1D<float>(Math.Max(1, partialsFloats + (5L * widestBatchNorm)));
        gradients.MemSetToZero();
        saved.MemSetToZero();
        CopyToDevice();
        var clock = Stopwatch.StartNew();
        LoadKernels();
        accelerator.Synchronize();
        KernelCompileTime = clock.Elapsed;
    }

    /// <summary>The CPU network this one mirrors: names, shapes, and the host copies of the weights.</summary>
    public ICompiledNetwork Host { get; }

    public Accelerator Accelerator { get; }

    /// <summary>How long ILGPU took to compile and load every kernel of the network (once, at construction).</summary>
    public TimeSpan KernelCompileTime { get; private set; }

    /// <summary>Kernels the generated class loaded.</summary>
    public abstract int KernelCount { get; }

    /// <summary>Device bytes held by the network's buffers.</summary>
    public long DeviceBytes => (parameters.Length + gradients.Length + statistics.Length + saved.Length + arena.Length + batchNormScratch.Length) * sizeof(float);

    public string Name => Host.Name;

    public int MaxBatch => Host.MaxBatch;

    public int OutputSize => Host.OutputSize;

    /// <summary>Training-mode forwards taken so far; selects the dropout masks as on the CPU.</summary>
    public long Step { get; set; }

    public bool DropoutEnabled { get; set; } = true;

    public ulong DropoutSeed { get; set; }

    /// <summary>The current batch size, which the generated launches read through <see cref="A"/>.</summary>
    protected int Batch { get; private set; }

    /// <summary>Device views of the whole buffers, for the optimizer.</summary>
    public ArrayView<float> ParameterView => parameters.View;

    public ArrayView<float> GradientView => gradients.View;

    public ArrayView<float> StatisticView => statistics.View;

    /// <summary>Copies the host network's parameters and running statistics to the device (after init or a checkpoint load).</summary>
    public void CopyToDevice()
    {
        parameters.View.SubView(0, Host.Parameters.Length).CopyFromCPU(Host.Parameters);
        statistics.View.SubView(0, Host.Statistics.Length).CopyFromCPU(Host.Statistics);
    }

    /// <summary>Copies the device's parameters and running statistics into the host network (before a checkpoint is written).</summary>
    public void CopyToHost()
    {
        Accelerator.Synchronize();
        parameters.View.SubView(0, Host.Parameters.Length).CopyToCPU(Host.Parameters);
        statistics.View.SubView(0, Host.Statistics.Length).CopyToCPU(Host.Statistics);
    }

    /// <summary>Copies the device's accumulated gradients into <paramref name="destination"/> (tests and gradient checks).</summary>
    public void CopyGradientsTo(float[] destination)
    {
        Accelerator.Synchronize();
        gradients.View.SubView(0, Host.Gradients.Length).CopyToCPU(destination);
    }

    /// <summary>Replaces the device's gradients by <paramref name="source"/> (after they were averaged over replicas on the host).</summary>
    public void CopyGradientsFrom(float[] source) => gradients.View.SubView(0, Host.Gradients.Length).CopyFromCPU(source);

    public void ZeroGradients() => gradients.MemSetToZero();

    /// <summary>Training-mode forward of a host batch; the logits come back to <paramref name="logits"/>.</summary>
    public void ForwardTrain(ReadOnlySpan<float> input, int batch, Span<float> logits)
    {
        UploadInput(input, batch, training: true);
        RunForwardTrain();
        DownloadOutput(OutputSlot(training: true), logits);
    }

    /// <summary>Evaluation-mode forward of a host batch.</summary>
    public void ForwardEval(ReadOnlySpan<float> input, int batch, Span<float> logits)
    {
        UploadInput(input, batch, training: false);
        trainedBatch = 0; // the evaluation plan overwrites what Backward would read
        ForwardSteps(batch, training: false);
        DownloadOutput(OutputSlot(training: false), logits);
    }

    /// <summary>Backward of the last training forward from a host logits gradient; the input gradient comes back when the span is not empty.</summary>
    public void Backward(ReadOnlySpan<float> logitsGradient, Span<float> inputGradient)
    {
        NetworkGuard.CheckBackward(Host.Name, trainedBatch, logitsGradient.Length, Host.OutputSize, inputGradient.Length, InputFloats);
        int n = trainedBatch;
        A(OutputGradientSlot, Host.OutputSize).CopyFromCPU(logitsGradient[..(n * Host.OutputSize)]);
        RunBackward(wantInputGradient: !inputGradient.IsEmpty);
        if (!inputGradient.IsEmpty)
        {
            Accelerator.Synchronize();
            A(InputGradientSlot, InputFloats).CopyToCPU(inputGradient[..(n * InputFloats)]);
        }
    }

    /// <summary>The training forward over the batch already in the input slot (the device training step fills it itself).</summary>
    protected internal void RunForwardTrain()
    {
        Step++;
        trainedBatch = Batch;
        ForwardSteps(Batch, training: true);
    }

    /// <summary>Backward of the last training forward from the logits gradient already in its slot.</summary>
    protected internal void RunBackward(bool wantInputGradient)
    {
        if (trainedBatch == 0)
        {
            throw new InvalidOperationException($"{Host.Name}: Backward needs a ForwardTrain first, one Backward per ForwardTrain, and no ForwardEval in between");
        }

        Batch = trainedBatch;
        BackwardSteps(trainedBatch, wantInputGradient);
        trainedBatch = 0; // gradients reused the forward buffers: one backward per forward
    }

    /// <summary>The device view of the batch's input (training plan) or logits, for the device training step.</summary>
    protected internal ArrayView<float> InputView(bool training) => A(InputSlot(training), InputFloats);

    protected internal ArrayView<float> LogitsView => A(OutputSlot(training: true), Host.OutputSize);

    protected internal ArrayView<float> LogitsGradientView => A(OutputGradientSlot, Host.OutputSize);

    /// <summary>Sets the batch the next launches cover (checked against the planned maximum).</summary>
    protected internal void SetBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"{Host.Name}: batch must be from 1 to {MaxBatch}, the maximum this instance was built for");
        }

        Batch = batch;
    }

    /// <summary>Floats per input image.</summary>
    public int InputFloats => Host.InputShape[0] * Host.InputShape[1] * Host.InputShape[2];

    private void UploadInput(ReadOnlySpan<float> input, int batch, bool training)
    {
        NetworkGuard.CheckForward(Host.Name, batch, MaxBatch, input.Length, InputFloats, int.MaxValue, 0);
        SetBatch(batch);
        InputView(training).CopyFromCPU(input[..(batch * InputFloats)]);
    }

    private void DownloadOutput(long slot, Span<float> logits)
    {
        if (logits.Length < Batch * Host.OutputSize)
        {
            throw new ArgumentException($"{Host.Name}: the logits span holds {logits.Length} floats but a batch of {Batch} needs {Batch * Host.OutputSize}", nameof(logits));
        }

        Accelerator.Synchronize();
        A(slot, Host.OutputSize).CopyToCPU(logits[..(Batch * Host.OutputSize)]);
    }

    /// <summary>The arena buffer at a planned slot (floats per image) holding <paramref name="perImage"/> floats for each image of the batch.</summary>
    protected ArrayView<float> A(long slot, long perImage) => arena.View.SubView(slot * MaxBatch, Batch * perImage);

    /// <summary>A trainable tensor's values.</summary>
    protected ArrayView<float> P(long offset, long length) => parameters.View.SubView(offset, length);

    /// <summary>A trainable tensor's gradient.</summary>
    protected ArrayView<float> G(long offset, long length) => gradients.View.SubView(offset, length);

    /// <summary>A batch norm's running statistics.</summary>
    protected ArrayView<float> S(long offset, long length) => statistics.View.SubView(offset, length);

    /// <summary>Saved batch statistics (mean, 1/std, folded scale and shift).</summary>
    protected ArrayView<float> Saved(long offset, long length) => saved.View.SubView(offset, length);

    /// <summary>A batch norm's partial sums (statistics or backward), passed from its partials pass to the next.</summary>
    protected ArrayView<float> BatchNormPartials(int channels, int spatial) => batchNormScratch.View.SubView(0, BatchNormPartition.PartialsLength(channels, spatial));

    /// <summary>A batch norm backward's three per-channel coefficients, passed from its sums pass to its apply pass.</summary>
    protected ArrayView<float> BatchNormCoefficients(int channels) => batchNormScratch.View.SubView(partialsFloats, 3L * channels);

    /// <summary>A batch norm's scale (gamma / std), passed to its apply pass.</summary>
    protected ArrayView<float> BatchNormScale(int channels) => batchNormScratch.View.SubView(partialsFloats + (3L * widestBatchNorm), channels);

    /// <summary>A batch norm's shift (beta - mean * scale), passed to its apply pass.</summary>
    protected ArrayView<float> BatchNormShift(int channels) => batchNormScratch.View.SubView(partialsFloats + (4L * widestBatchNorm), channels);

    /// <summary>Compiles and loads every kernel (timed by the constructor).</summary>
    protected abstract void LoadKernels();

    /// <summary>Launches every step's forward kernels for a batch of n.</summary>
    protected abstract void ForwardSteps(int n, bool training);

    /// <summary>Launches every step's backward kernels in reverse order.</summary>
    protected abstract void BackwardSteps(int n, bool wantInputGradient);

    /// <summary>The arena slot of the network input under either plan.</summary>
    protected abstract long InputSlot(bool training);

    /// <summary>The arena slot of the logits under either plan.</summary>
    protected abstract long OutputSlot(bool training);

    protected abstract long OutputGradientSlot { get; }

    protected abstract long InputGradientSlot { get; }

    public void Dispose()
    {
        parameters.Dispose();
        gradients.Dispose();
        statistics.Dispose();
        saved.Dispose();
        arena.Dispose();
        batchNormScratch.Dispose();
        GC.SuppressFinalize(this);
    }
}
