using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// The buffers one micro-batch occupies while <see cref="GpuTrainingStep"/> has it in flight: its images and labels in
/// device staging memory, its per-sample losses and top-1 hits in page-locked host memory, and the marker on the
/// default stream after which those results are there. Page-locked memory is what lets the copies run asynchronously
/// (DMA) on a stream instead of through a pageable bounce buffer. The page-locked copy of the batch itself is shared
/// by the slots (<see cref="GpuTrainingStep"/> waits for each upload before the next), so it is not part of a slot.
/// </summary>
internal sealed class MicroBatchSlot : IDisposable
{
    private readonly int inputFloats;
    private readonly PageLockedArray1D<float> hostResults;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> deviceInput;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> deviceLabels;
    private ProfilingMarker? done;
    private int count;

    public MicroBatchSlot(Accelerator accelerator, int maxBatch, int inputFloats)
    {
        this.inputFloats = inputFloats;
        hostResults = accelerator.AllocatePageLocked1D<float>(2 * maxBatch, uninitialized: true);
        deviceInput = accelerator.Allocate1D<float>(checked((long)maxBatch * inputFloats));
        deviceLabels = accelerator.Allocate1D<int>(maxBatch);
    }

    /// <summary>Device bytes of the staging buffers.</summary>
    public long DeviceBytes => (deviceInput.Length * sizeof(float)) + (deviceLabels.Length * sizeof(int));

    /// <summary>The staged images of the micro-batch of <paramref name="n"/>, on the device.</summary>
    public ArrayView<float> Input(int n) => deviceInput.View.AsContiguous().SubView(0, (long)n * inputFloats);

    /// <summary>The staged labels of the micro-batch of <paramref name="n"/>, on the device.</summary>
    public ArrayView<int> Labels(int n) => deviceLabels.View.AsContiguous().SubView(0, n);

    /// <summary>Queues on <paramref name="copyStream"/> the upload of a batch of <paramref name="n"/> already in page-locked memory.</summary>
    public void Upload(PageLockedArray1D<float> input, PageLockedArray1D<int> labels, int n, AcceleratorStream copyStream)
    {
        Input(n).CopyFrom(copyStream, input.ArrayView.SubView(0, (long)n * inputFloats));
        Labels(n).CopyFrom(copyStream, labels.ArrayView.SubView(0, n));
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
        hostResults.Dispose();
        deviceInput.Dispose();
        deviceLabels.Dispose();
    }
}
