using ILGPU;
using ILGPU.Runtime;
using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Gpu.Kernels;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary><see cref="GpuSgd"/> on the CPU accelerator against <see cref="SgdOptimizer"/> and <see cref="GradientClipping"/>.</summary>
[Collection(CpuAcceleratorCollection.Name)]
public sealed class GpuSgdTests(CpuAccelerator fixture)
{
    private static void Update(ArrayView<float> parameters, ArrayView<float> gradients, ArrayView<float> velocity,
        float learningRate, float momentum, float weightDecay, int nesterov) =>
        GpuSgd.Update(parameters, gradients, velocity, learningRate, momentum, weightDecay, nesterov != 0);

    // The generator's form: momentum and Nesterov fixed by the config, learning rate and decay per launch.
    private static void Generated_Update(ArrayView<float> parameters, ArrayView<float> gradients, ArrayView<float> velocity,
        float learningRate, float weightDecay) =>
        GpuSgd.Update(parameters, gradients, velocity, learningRate, 0.9f, weightDecay, nesterov: true);

    private static void SumOfSquares(ArrayView<float> values, ArrayView<float> partialSums) => GpuSgd.SumOfSquares(values, partialSums);

    private static void ClipToNorm(ArrayView<float> values, ArrayView<float> partialSums, float maxNorm) =>
        GpuSgd.ClipToNorm(values, partialSums, maxNorm);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UpdateMatchesSgdOptimizerOverTensorGroups(bool nesterov)
    {
        var network = new ParameterOnlyNetwork(seed: nesterov ? 1 : 2);
        var optimizer = new SgdOptimizer(network, momentum: 0.9f, weightDecay: 1e-2f, WeightDecayFilter.Auto, nesterov);
        float[] parameters = (float[])network.Parameters.Clone();
        float[] velocity = TensorRandom.Uniform(parameters.Length, seed: 3);
        velocity.CopyTo(optimizer.Velocity, 0);

        Accelerator accelerator = fixture.Accelerator;
        using var gpuParameters = fixture.Upload(parameters);
        using var gpuGradients = fixture.Upload(network.Gradients);
        using var gpuVelocity = fixture.Upload(velocity);
        var update = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float, int>(Update);
        foreach (float learningRate in new[] { 0.1f, 0.05f })
        {
            optimizer.Step(learningRate);
            // One launch per tensor, as the launcher does per run of equal decay.
            foreach (NetworkTensor tensor in network.Tensors)
            {
                float decay = WeightDecayFilter.Auto.Decays(tensor) ? 1e-2f : 0f;
                update(GpuSgd.UpdateConfig(tensor.Length), gpuParameters.View.SubView(tensor.Offset, tensor.Length),
                    gpuGradients.View.SubView(tensor.Offset, tensor.Length), gpuVelocity.View.SubView(tensor.Offset, tensor.Length),
                    learningRate, 0.9f, decay, nesterov ? 1 : 0);
            }
        }

        TensorAssert.Identical("parameters", network.Parameters, fixture.Download(gpuParameters));
        TensorAssert.Identical("velocity", optimizer.Velocity, fixture.Download(gpuVelocity));
    }

    [Fact]
    public void GeneratedFormMatchesTheFormula()
    {
        const float learningRate = 0.2f, momentum = 0.9f, decay = 5e-4f;
        float[] w = TensorRandom.Uniform(300, seed: 4), grad = TensorRandom.Uniform(300, seed: 5), v = TensorRandom.Uniform(300, seed: 6);
        using var gpuW = fixture.Upload(w);
        using var gpuGrad = fixture.Upload(grad);
        using var gpuV = fixture.Upload(v);
        fixture.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float>(Generated_Update)(
            GpuSgd.UpdateConfig(w.Length), gpuW.View, gpuGrad.View, gpuV.View, learningRate, decay);
        for (int i = 0; i < w.Length; i++)
        {
            float g = grad[i] + (decay * w[i]);
            v[i] = (momentum * v[i]) + g;
            w[i] -= learningRate * (g + (momentum * v[i]));
        }

        TensorAssert.Identical("parameters", w, fixture.Download(gpuW));
        TensorAssert.Identical("velocity", v, fixture.Download(gpuV));
        Assert.Contains(".entry", PtxCompiler.Compile(typeof(GpuSgdTests), nameof(Generated_Update)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000, 5f)]
    [InlineData(700, 100f)]
    public void ClippingMatchesGradientClipping(int length, float maxNorm)
    {
        float[] gradients = TensorRandom.Uniform(length, seed: length);
        float[] expected = (float[])gradients.Clone();
        double norm = GradientClipping.ClipByGlobalNorm(expected, maxNorm);

        KernelConfig sumConfig = GpuSgd.SumOfSquaresConfig(length);
        using var values = fixture.Upload(gradients);
        using var partialSums = fixture.Zeros(sumConfig.GridDim.X);
        fixture.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(SumOfSquares)(sumConfig, values.View, partialSums.View);
        fixture.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, float>(ClipToNorm)(
            GpuSgd.UpdateConfig(length), values.View, partialSums.View, maxNorm);

        double gpuNorm = Math.Sqrt(fixture.Download(partialSums).Sum(s => (double)s));
        Assert.InRange(Math.Abs(gpuNorm - norm), 0, 1e-6 * norm);
        TensorAssert.MaxAbsRelative("clipped gradients", expected, fixture.Download(values), 1e-6);
        if (norm > maxNorm)
        {
            Assert.NotEqual(gradients, expected);
        }
    }

    /// <summary>Parameters and gradients of a conv, a batch norm and a dense layer, nothing else: what the optimizer reads.</summary>
    private sealed class ParameterOnlyNetwork : ICompiledNetwork
    {
        public ParameterOnlyNetwork(int seed)
        {
            var shapes = new (string Name, TensorRole Role, int[] Shape)[]
            {
                ("conv.weight", TensorRole.ConvWeight, [4, 3, 3, 3]),
                ("bn.weight", TensorRole.NormWeight, [4]),
                ("bn.bias", TensorRole.NormBias, [4]),
                ("fc.weight", TensorRole.DenseWeight, [5, 4]),
                ("fc.bias", TensorRole.Bias, [5]),
            };
            int offset = 0;
            var tensors = new List<NetworkTensor>();
            foreach (var (name, role, shape) in shapes)
            {
                var tensor = new NetworkTensor(name, role, offset, shape);
                tensors.Add(tensor);
                offset += tensor.Length;
            }

            Tensors = tensors;
            Parameters = TensorRandom.Uniform(offset, seed);
            Gradients = TensorRandom.Uniform(offset, seed + 100);
        }

        public string Name => "ParameterOnly";
        public int MaxBatch => 1;
        public int[] InputShape => [1, 1, 1];
        public int OutputSize => 1;
        public IReadOnlyList<NetworkTensor> Tensors { get; }
        public IReadOnlyList<GraphNode> Graph => [];
        public float[] Parameters { get; }
        public float[] Gradients { get; }
        public float[] Statistics => [];
        public long ArenaFloats => 0;
        public long EvalArenaFloats => 0;
        public bool DropoutEnabled { get; set; }
        public ulong DropoutSeed { get; set; }
        public long Step { get; set; }
        public void ForwardTrain(ReadOnlySpan<float> input, int batch, Span<float> logits) => throw new NotSupportedException();
        public void ForwardEval(ReadOnlySpan<float> input, int batch, Span<float> logits) => throw new NotSupportedException();
        public void Backward(ReadOnlySpan<float> logitsGradient, Span<float> inputGradient) => throw new NotSupportedException();
        public void ZeroGradients() => Array.Clear(Gradients);
    }
}
