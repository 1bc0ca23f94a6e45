using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Tests.Checkpoints;

/// <summary>
/// An <see cref="ICompiledNetwork"/> with tensors and buffers only: enough for checkpoint tests, which never run a forward.
/// Offsets are packed in declaration order, separately in Parameters and Statistics, as a generated network lays them out.
/// </summary>
internal sealed class FakeNetwork : ICompiledNetwork
{
    public FakeNetwork(string name, IEnumerable<(string Name, int[] Shape)> tensors)
    {
        Name = name;
        var list = new List<NetworkTensor>();
        int parameters = 0, statistics = 0;
        foreach (var (tensorName, shape) in tensors)
        {
            var role = RoleOf(tensorName, shape);
            var length = shape.Aggregate(1, (a, b) => a * b);
            list.Add(new NetworkTensor(tensorName, role, role.IsTrainable() ? parameters : statistics, shape));
            if (role.IsTrainable())
                parameters += length;
            else
                statistics += length;
        }
        Tensors = list;
        Parameters = new float[parameters];
        Gradients = new float[parameters];
        Statistics = new float[statistics];
    }

    /// <summary>conv → bn → fc, 7 tensors (2 of them statistics).</summary>
    public static FakeNetwork Small(string name = "Small") => new(name,
    [
        ("conv1.weight", [4, 1, 3, 3]),
        ("bn1.weight", [4]),
        ("bn1.bias", [4]),
        ("bn1.running_mean", [4]),
        ("bn1.running_var", [4]),
        ("fc.weight", [2, 4]),
        ("fc.bias", [2]),
    ]);

    /// <summary>A network whose tensors are a file's float tensors (num_batches_tracked left out, as a compiled network does).</summary>
    public static FakeNetwork Like(SafeTensorsFile file, string name) =>
        new(name, file.Tensors.Where(t => !t.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).Select(t => (t.Name, t.Shape)));

    /// <summary>Distinct, seed-dependent values everywhere, so a tensor copied to the wrong place shows.</summary>
    public FakeNetwork Fill(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Parameters.Length; i++)
            Parameters[i] = (float)random.NextDouble() - 0.5f;
        for (var i = 0; i < Statistics.Length; i++)
            Statistics[i] = (float)random.NextDouble() + 0.5f;
        return this;
    }

    /// <summary>Only trainable or not matters to checkpoints; the rest is a plausible guess from the timm name.</summary>
    private static TensorRole RoleOf(string name, int[] shape) => name switch
    {
        _ when name.EndsWith(".running_mean", StringComparison.Ordinal) => TensorRole.RunningMean,
        _ when name.EndsWith(".running_var", StringComparison.Ordinal) => TensorRole.RunningVariance,
        _ when name.EndsWith(".bias", StringComparison.Ordinal) => TensorRole.Bias,
        _ when shape.Length == 1 => TensorRole.NormWeight,
        _ when shape.Length == 2 => TensorRole.DenseWeight,
        _ when shape.Length == 4 && shape[1] == 1 => TensorRole.DepthwiseWeight,
        _ => TensorRole.ConvWeight,
    };

    public string Name { get; }
    public int MaxBatch => 1;
    public int[] InputShape => [1, 1, 1];
    public int OutputSize => 1;
    public IReadOnlyList<NetworkTensor> Tensors { get; }
    public IReadOnlyList<GraphNode> Graph => [];
    public float[] Parameters { get; }
    public float[] Gradients { get; }
    public float[] Statistics { get; }
    public long ArenaFloats => 0;
    public long EvalArenaFloats => 0;
    public bool DropoutEnabled { get; set; }
    public ulong DropoutSeed { get; set; }
    public void ForwardTrain(ReadOnlySpan<float> input, int batch, Span<float> logits) => throw new NotSupportedException();
    public void ForwardEval(ReadOnlySpan<float> input, int batch, Span<float> logits) => throw new NotSupportedException();
    public void Backward(ReadOnlySpan<float> logitsGradient, Span<float> inputGradient) => throw new NotSupportedException();
    public void ZeroGradients() => Array.Clear(Gradients);
    public long Step { get; set; }
}
