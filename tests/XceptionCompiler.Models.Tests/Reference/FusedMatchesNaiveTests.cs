using XceptionCompiler.Reference;
using XceptionCompiler.Reference.Network;
using XceptionCompiler.Runtime.Kernels;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Models.Tests.Reference;

/// <summary>
/// The generated, fused forward and backward passes against the naive interpreter of the same graph (run in
/// double precision): logits, running statistics, every parameter gradient and the input gradient.
/// </summary>
public sealed class FusedMatchesNaiveTests
{
    // Each network on every SIMD path the machine runs (the Vector256 one forced where AVX-512 exists).
    public static TheoryData<string, int, SimdWidth> Networks => SimdWidths.Each([("Tiny", 3), ("Tiny", 2), ("FashionXception", 2)]);

    [Theory]
    [MemberData(nameof(Networks))]
    public void TrainingForwardAndBackwardMatchTheNaiveInterpreter(string name, int batch, SimdWidth width)
    {
        using SimdPath.Scope path = SimdPath.Force(width);
        ICompiledNetwork network = NetworkFixtures.Randomized(Create(name, batch), seed: 7);
        network.DropoutSeed = 1234;
        var naive = new NaiveNetwork<double>(network);
        float[] input = NetworkFixtures.Input(network, batch, seed: 11);
        float[] logitsGradient = TensorRandom.Uniform(batch * network.OutputSize, seed: 13);

        var logits = new float[batch * network.OutputSize];
        network.ZeroGradients();
        network.ForwardTrain(input, batch, logits);
        var inputGradient = new float[input.Length];
        network.Backward(logitsGradient, inputGradient);

        double[] expectedLogits = naive.Forward(ToDouble(input), batch, training: true, dropout: true, dropoutSeed: 1234, step: network.Step);
        double[] expectedInputGradient = naive.Backward(ToDouble(logitsGradient), dropout: true);

        TensorAssert.MaxAbsRelative("logits", expectedLogits, ToDouble(logits), 1e-4);
        TensorAssert.RelativeL2("running statistics", naive.Statistics, ToDouble(network.Statistics), 1e-5);
        foreach (NetworkTensor tensor in network.Tensors.Where(t => t.Trainable))
        {
            TensorAssert.RelativeL2("gradient of " + tensor.Name, naive.Gradients.AsSpan(tensor.Offset, tensor.Length), ToDouble(network.Gradients.AsSpan(tensor.Offset, tensor.Length)), 1e-3, tensor.Shape);
        }

        TensorAssert.RelativeL2("input gradient", expectedInputGradient, ToDouble(inputGradient), 1e-3);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void EvaluationForwardMatchesTheNaiveInterpreter(string name, int batch, SimdWidth width)
    {
        using SimdPath.Scope path = SimdPath.Force(width);
        ICompiledNetwork network = NetworkFixtures.Randomized(Create(name, batch), seed: 5);
        var naive = new NaiveNetwork<double>(network);
        float[] input = NetworkFixtures.Input(network, batch, seed: 3);

        var logits = new float[batch * network.OutputSize];
        network.ForwardEval(input, batch, logits);
        double[] expected = naive.Forward(ToDouble(input), batch, training: false);

        TensorAssert.MaxAbsRelative("logits", expected, ToDouble(logits), 1e-4);
        TensorAssert.Identical("statistics are untouched in eval mode", naive.Statistics.Select(v => (float)v).ToArray(), network.Statistics);
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        ICompiledNetwork network = NetworkFixtures.Randomized(Create("Tiny", 2), seed: 9);
        network.DropoutEnabled = false;
        float[] input = NetworkFixtures.Input(network, 2, seed: 1);
        float[] logitsGradient = TensorRandom.Uniform(2 * network.OutputSize, seed: 2);
        var logits = new float[2 * network.OutputSize];

        network.ZeroGradients();
        network.ForwardTrain(input, 2, logits);
        network.Backward(logitsGradient, []);
        float[] once = network.Gradients.ToArray();
        network.ForwardTrain(input, 2, logits);
        network.Backward(logitsGradient, []);

        TensorAssert.RelativeL2("twice the gradient", once.Select(v => 2 * v).ToArray(), network.Gradients, 1e-6);
        network.ZeroGradients();
        Assert.All(network.Gradients, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData("Backward", "one Backward per ForwardTrain")]
    [InlineData("ForwardEval", "no ForwardEval in between")]
    public void BackwardAfterItsActivationsAreOverwrittenIsAClearError(string between, string reason)
    {
        // The training plan reuses forward buffers for gradients, so one forward supports one backward; the evaluation
        // plan packs its buffers into the start of the arena, over activations Backward would read.
        ICompiledNetwork network = Create("Tiny", 2);
        float[] input = NetworkFixtures.Input(network, 2, seed: 1);
        var logits = new float[2 * network.OutputSize];
        network.ForwardTrain(input, 2, logits);
        if (between == "Backward")
        {
            network.Backward(logits, []);
        }
        else
        {
            network.ForwardEval(input, 2, logits);
        }

        var error = Assert.Throws<InvalidOperationException>(() => network.Backward(logits, []));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void BackwardWithoutATrainingForwardIsAClearError()
    {
        ICompiledNetwork network = Create("Tiny", 2);
        float[] input = NetworkFixtures.Input(network, 2, seed: 1);
        network.ForwardEval(input, 2, new float[2 * network.OutputSize]);

        var error = Assert.Throws<InvalidOperationException>(() => network.Backward(new float[2 * network.OutputSize], []));
        Assert.Contains("ForwardTrain", error.Message);
    }

    [Theory]
    [InlineData("Tiny")]
    [InlineData("FashionXception")]
    public void TrainingAndEvaluationForwardsReadNothingTheOtherLeftInTheArena(string name)
    {
        // The two memory plans share one arena: each pass must read only what it wrote itself. Three networks in the
        // same state: one interleaves the passes, one only trains, one only evaluates (from a zeroed arena).
        ICompiledNetwork interleaved = NetworkFixtures.Randomized(Create(name, 2), seed: 7);
        ICompiledNetwork trainOnly = NetworkFixtures.Randomized(Create(name, 2), seed: 7);
        ICompiledNetwork evalOnly = NetworkFixtures.Randomized(Create(name, 2), seed: 7);
        float[] trainInput = NetworkFixtures.Input(interleaved, 2, seed: 1);
        float[] evalInput = NetworkFixtures.Input(interleaved, 2, seed: 2);
        float[] logitsGradient = TensorRandom.Uniform(2 * interleaved.OutputSize, seed: 3);
        float[] Train(ICompiledNetwork network)
        {
            network.ZeroGradients();
            network.ForwardTrain(trainInput, 2, new float[logitsGradient.Length]);
            network.Backward(logitsGradient, []);
            return network.Gradients.ToArray();
        }

        float[] Evaluate(ICompiledNetwork network)
        {
            var logits = new float[logitsGradient.Length];
            network.ForwardEval(evalInput, 2, logits);
            return logits;
        }

        Evaluate(interleaved);
        float[] gradientsAfterEval = Train(interleaved);
        float[] evalAfterTraining = Evaluate(interleaved);
        float[] gradientsAlone = Train(trainOnly);
        interleaved.Statistics.CopyTo(evalOnly.Statistics, 0); // the running statistics the training step updated
        float[] evalAlone = Evaluate(evalOnly);

        TensorAssert.Identical("gradients after an evaluation forward", gradientsAlone, gradientsAfterEval);
        TensorAssert.Identical("evaluation logits after a training step", evalAlone, evalAfterTraining);
    }

    [Fact]
    public void ABatchLargerThanPlannedIsAClearError()
    {
        ICompiledNetwork network = Create("Tiny", 2);
        float[] input = NetworkFixtures.Input(network, 3, seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => network.ForwardEval(input, 3, new float[3 * network.OutputSize]));
        Assert.Contains("from 1 to 2", error.Message);
    }

    internal static ICompiledNetwork Create(string name, int maxBatch) => name switch
    {
        "Tiny" => new Tiny(maxBatch),
        "FashionXception" => new FashionXception(maxBatch),
        _ => new Xception(maxBatch),
    };

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
