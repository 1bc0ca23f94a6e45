using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// The buffers one micro-batch occupies while <see cref="GpuTrainingStep"/> has it in flight: its images and labels in
/// page-locked host memory and in device staging memory, its per-sample losses and top-1 hits in page-locked host
/// memory, and the marker on the default stream after which those results are there. Page-locked memory is what lets
/// the copies run asynchronously (DMA) on a stream instead of through a pageable bounce buffer.
/// </summary>
internal sealed class MicroBatchSlot : IDisposable
{
    private readonly int inputFloats;
    private readonly PageLockedArray1D<float> hostInput;
    private readonly PageLockedArray1D<int> hostLabels;
    private readonly PageLockedArray1D<float> hostResults;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> deviceInput;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> deviceLabels;
    private ProfilingMarker? done;
    private int count;

    public MicroBatchSlot(Accelerator accelerator, int maxBatch, int inputFloats)
    {
        this.inputFloats = inputFloats;
        hostInput = accelerator.AllocatePageLocked1D<float>(checked(maxBatch * inputFloats), uninitialized: true);
        hostLabels = accelerator.AllocatePageLocked1D<int>(maxBatch, uninitialized: true);
        hostResults = accelerator.AllocatePageLocked1D<float>(2 * maxBatch, uninitialized: true);
        deviceInput = accelerator.Allocate1D<float>(hostInput.Length);
        deviceLabels = accelerator.Allocate1D<int>(maxBatch);
    }

    /// <summary>Device bytes of the staging buffers.</summary>
    public long DeviceBytes => (deviceInput.Length * sizeof(float)) + (deviceLabels.Length * sizeof(int));

    /// <summary>The staged images of the micro-batch of <paramref name="n"/>, on the device.</summary>
    public ArrayView<float> Input(int n) => deviceInput.View.AsContiguous().SubView(0, (long)n * inputFloats);

    /// <summary>The staged labels of the micro-batch of <paramref name="n"/>, on the device.</summary>
    public ArrayView<int> Labels(int n) => deviceLabels.View.AsContiguous().SubView(0, n);

    /// <summary>Copies the batch into page-locked memory and queues its upload to the device staging on <paramref name="copyStream"/>.</summary>
    public void Upload(ReadOnlySpan<float> input, ReadOnlySpan<int> labels, int n, AcceleratorStream copyStream)
    {
        int floats = n * inputFloats;
        input[..floats].CopyTo(hostInput.Span);
        labels[..n].CopyTo(hostLabels.Span);
        Input(n).CopyFrom(copyStream, hostInput.ArrayView.SubView(0, floats));
        Labels(n).CopyFrom(copyStream, hostLabels.ArrayView.SubView(0, n));
    }

    /// <summary>
    /// Queues on <paramref name="stream"/> the download of the micro-batch's results (n losses, then n hits, as
    /// <paramref name="results"/> holds them) and the marker that <see cref="Collect"/> waits on.
    /// </summary>
    public void Download(ArrayView<float> results, int n, AcceleratorStream stream)
    {
        results.SubView(0, 2 * n).CopyTo(stream, hostResults.ArrayView.SubView(0, 2 * n));
        done = stream.AddProfilingMarker();
        count = n;
    }

    /// <summary>Waits for the results of the micro-batch and returns its mean loss and top-1 hits.</summary>
    public MicroBatchResult Collect()
    {
        ProfilingMarker marker = done ?? throw new InvalidOperationException("this slot holds no micro-batch");
        marker.Synchronize();
        marker.Dispose();
        done = null;
        ReadOnlySpan<float> results = hostResults.Span;
        double loss = 0, hits = 0;
        for (int i = 0; i < count; i++)
        {
            loss += results[i];
            hits += results[count + i];
        }

        return new MicroBatchResult(loss / count, (int)hits, count);
    }

    public void Dispose()
    {
        done?.Dispose();
        hostInput.Dispose();
        hostLabels.Dispose();
        hostResults.Dispose();
        deviceInput.Dispose();
        deviceLabels.Dispose();
    }
}
