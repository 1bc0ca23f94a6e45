using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Models.Tests.Reference;

/// <summary>
/// The static memory plan's promise: after construction, a training step allocates nothing on any thread.
/// Runs alone: GC.GetTotalAllocatedBytes counts every thread, including other tests'.
/// </summary>
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

        // The counter is process-wide, so a test runner thread can add noise: a step that allocates fails every
        // attempt, noise fails only some.
        var attempts = new List<long>();
        for (int attempt = 0; attempt < 5 && (attempts.Count == 0 || attempts[^1] != 0); attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            Step();
            Step();
            attempts.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.True(attempts[^1] == 0, "two steps allocated, per attempt: " + string.Join(", ", attempts) + " bytes");
    }
}
