using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Models.Tests.Reference;

/// <summary>
/// The static memory plan's promise: after construction, a training step allocates nothing on any thread it runs on,
/// the caller's and each of the pool's workers.
/// </summary>
/// <remarks>
/// Counted per thread: the process-wide counter also counts the test host's own threads, which allocate now and then
/// (a CI run saw 336 bytes in each of five attempts while other test assemblies loaded the machine).
/// </remarks>
[Collection(SerialCollection.Name)]
public sealed class StepAllocationTests
{
    [Fact]
    public void ATrainingStepAllocatesNothing()
    {
        ICompiledNetwork network = new FashionXception(maxBatch: 4);
        float[] input = NetworkFixtures.Input(network, 4, seed: 1);
        var logits = new float[4 * network.OutputSize];
        var inputGradient = new float[input.Length];
        void Step()
        {
            network.ForwardTrain(input, 4, logits);
            network.Backward(logits, inputGradient);
            network.ForwardEval(input, 4, logits);
        }

        Step();

        long[] before = new long[Workers.ThreadCount], after = new long[Workers.ThreadCount];
        ThreadAllocations.Read(before);
        Step();
        Step();
        ThreadAllocations.Read(after);

        Assert.True(Workers.ThreadCount >= 2 || Environment.ProcessorCount == 1, "the step ran on one thread only");
        long[] allocated = after.Zip(before, (a, b) => a - b).ToArray();
        Assert.True(allocated.All(bytes => bytes == 0),
            "two steps allocated, per thread (the caller first): " + string.Join(", ", allocated) + " bytes");
    }

    /// <summary>Bytes allocated so far by each thread of a parallel call: part i runs on the caller (0) or worker i.</summary>
    private struct ThreadAllocations : IParallelBody
    {
        private static long[] s_bytes = [];

        // Allocates nothing itself: the arrays are made before the counting starts.
        public static void Read(long[] bytes)
        {
            s_bytes = bytes;
            var body = default(ThreadAllocations);
            Workers.For(bytes.Length, ref body);
        }

        public readonly void Run(int begin, int end)
        {
            for (int part = begin; part < end; part++)
            {
                s_bytes[part] = GC.GetAllocatedBytesForCurrentThread();
            }
        }
    }
}
