using System.Numerics;
using XceptionCompiler.Runtime.Kernels;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Reference.Network;

/// <summary>
/// A naive interpreter of a compiled network's unfused graph: every node run by the naive reference ops, one at a
/// time, with its own buffer, and reverse-mode differentiation by plain gradient accumulation. It shares nothing with
/// the generated code but the graph description and the tensor layout, so the fused code is checked against it.
/// Generic over the element type: in double it is the reference for finite-difference checks.
/// </summary>
public sealed class NaiveNetwork<T>
    where T : IFloatingPointIeee754<T>
{
    private readonly IReadOnlyList<GraphNode> graph;
    private readonly Dictionary<string, NetworkTensor> tensors;
    private T[][] values = [];
    private T[][] saved = [];
    private int batch;
    private ulong stepSeed;
    private long step;

    /// <summary>Copies the parameters and statistics of <paramref name="compiled"/> (converted to <typeparamref name="T"/>).</summary>
    public NaiveNetwork(ICompiledNetwork compiled)
    {
        graph = compiled.Graph;
        tensors = compiled.Tensors.ToDictionary(t => t.Name);
        Parameters = compiled.Parameters.Select(T.CreateTruncating).ToArray();
        Statistics = compiled.Statistics.Select(T.CreateTruncating).ToArray();
        Gradients = new T[Parameters.Length];
    }

    public T[] Parameters { get; }

    public T[] Statistics { get; }

    /// <summary>Parameter gradients, accumulated by <see cref="Backward"/>.</summary>
    public T[] Gradients { get; }

    /// <summary>Each node's output from the last forward.</summary>
    public IReadOnlyList<T[]> Values => values;

    /// <summary>
    /// Runs the graph. In training mode, batch norms use batch statistics and update the running ones, and dropout
    /// (when <paramref name="dropout"/>) uses the masks of <paramref name="dropoutSeed"/> at <paramref name="step"/>,
    /// the step number the compiled network uses for the same forward.
    /// </summary>
    public T[] Forward(T[] input, int batch, bool training, bool dropout = false, ulong dropoutSeed = 0, long step = 0)
    {
        this.batch = batch;
        stepSeed = dropoutSeed;
        this.step = step;
        values = new T[graph.Count][];
        saved = new T[graph.Count][];
        foreach (GraphNode node in graph)
        {
            values[node.Id] = node.Op == "input" ? input.ToArray() : new T[batch * Size(node)];
            if (node.Op != "input")
            {
                RunForward(node, training, dropout);
            }
        }

        return values[^1];
    }

    /// <summary>Differentiates the last training forward; accumulates parameter gradients and returns the input gradient.</summary>
    public T[] Backward(T[] logitsGradient, bool dropout = false)
    {
        var gradients = values.Select(v => new T[v.Length]).ToArray();
        logitsGradient.AsSpan(0, gradients[^1].Length).CopyTo(gradients[^1]);
        for (int id = graph.Count - 1; id > 0; id--)
        {
            RunBackward(graph[id], gradients, dropout);
        }

        return gradients[0];
    }

    private void RunForward(GraphNode node, bool training, bool dropout)
    {
        T[] y = values[node.Id];
        T[] x = values[node.Inputs[0]];
        GraphNode input = graph[node.Inputs[0]];
        switch (node.Op)
        {
            case "conv":
                NaiveOps.Conv2dForward<T>(x, Tensor(node, "weight"), y, batch, ConvShapeOf(node, input), reluInput: false);
                if (node.Bias)
                {
                    AddChannelBias(y, Tensor(node, "bias"), node.Channels, Spatial(node));
                }

                break;
            case "depthwise":
                NaiveOps.DepthwiseForward<T>(x, Tensor(node, "weight"), y, batch, DepthwiseShapeOf(node, input), reluInput: false);
                break;
            case "bn":
                if (training)
                {
                    saved[node.Id] = new T[2 * node.Channels];
                    NaiveOps.BatchNormTrainForward<T>(x, y, Tensor(node, "weight"), Tensor(node, "bias"), Tensor(node, "running_mean"), Tensor(node, "running_var"),
                        saved[node.Id].AsSpan(0, node.Channels), saved[node.Id].AsSpan(node.Channels), batch, node.Channels, Spatial(node), node.Epsilon, node.Momentum, [], reluOutput: false);
                }
                else
                {
                    NaiveOps.BatchNormEvalForward<T>(x, y, Tensor(node, "weight"), Tensor(node, "bias"), Tensor(node, "running_mean"), Tensor(node, "running_var"),
                        batch, node.Channels, Spatial(node), node.Epsilon, [], reluOutput: false);
                }

                break;
            case "relu":
                NaiveOps.ReluForward<T>(x, y);
                break;
            case "maxpool":
                NaiveOps.MaxPoolForward<T>(x, y, batch, PoolShapeOf(node, input), []);
                break;
            case "global_avg_pool":
                NaiveOps.GlobalAvgPoolForward<T>(x, y, batch, node.Channels, Spatial(input));
                break;
            case "dropout":
                if (training && dropout)
                {
                    NaiveOps.DropoutForward<T>(x, y, node.Rate, StepSeed.For(stepSeed, step, node.Id));
                }
                else
                {
                    x.CopyTo(y, 0);
                }

                break;
            case "dense":
                NaiveOps.DenseForward<T>(x, Tensor(node, "weight"), node.Bias ? Tensor(node, "bias") : [], y, batch, input.Channels, node.Channels);
                break;
            case "add":
                NaiveOps.Add<T>(x, values[node.Inputs[1]], y);
                break;
            default:
                throw new NotSupportedException("naive interpreter has no op " + node.Op);
        }
    }

    private void RunBackward(GraphNode node, T[][] gradients, bool dropout)
    {
        T[] dy = gradients[node.Id];
        T[] x = values[node.Inputs[0]];
        T[] dx = gradients[node.Inputs[0]];
        GraphNode input = graph[node.Inputs[0]];
        switch (node.Op)
        {
            case "conv":
                if (node.Bias)
                {
                    SumChannels(dy, TensorGradient(node, "bias"), node.Channels, Spatial(node));
                }

                NaiveOps.Conv2dBackwardWeights<T>(dy, x, TensorGradient(node, "weight"), batch, ConvShapeOf(node, input), reluInput: false);
                NaiveOps.Conv2dBackwardData<T>(dy, Tensor(node, "weight"), x, dx, batch, ConvShapeOf(node, input), reluInput: false, accumulate: true);
                break;
            case "depthwise":
                NaiveOps.DepthwiseBackwardWeights<T>(dy, x, TensorGradient(node, "weight"), batch, DepthwiseShapeOf(node, input), reluInput: false);
                NaiveOps.DepthwiseBackwardData<T>(dy, Tensor(node, "weight"), x, dx, batch, DepthwiseShapeOf(node, input), reluInput: false, accumulate: true);
                break;
            case "bn":
                var dInput = new T[dx.Length];
                NaiveOps.BatchNormBackward<T>(dy, values[node.Id], x, Tensor(node, "weight"), saved[node.Id].AsSpan(0, node.Channels), saved[node.Id].AsSpan(node.Channels),
                    dInput, TensorGradient(node, "weight"), TensorGradient(node, "bias"), batch, node.Channels, Spatial(node), reluOutput: false, [], accumulateResidual: false);
                NaiveOps.Copy<T>(dInput, dx, accumulate: true);
                break;
            case "relu":
                NaiveOps.ReluBackward<T>(dy, values[node.Id], dx, accumulate: true);
                break;
            case "maxpool":
                NaiveOps.MaxPoolBackward<T>(dy, x, dx, batch, PoolShapeOf(node, input), accumulate: true);
                break;
            case "global_avg_pool":
                NaiveOps.GlobalAvgPoolBackward<T>(dy, dx, batch, node.Channels, Spatial(input), accumulate: true);
                break;
            case "dropout":
                if (dropout)
                {
                    NaiveOps.DropoutBackward<T>(dy, dx, node.Rate, StepSeed.For(stepSeed, step, node.Id), accumulate: true);
                }
                else
                {
                    NaiveOps.Copy<T>(dy, dx, accumulate: true);
                }

                break;
            case "dense":
                NaiveOps.DenseBackward<T>(dy, x, Tensor(node, "weight"), dx, TensorGradient(node, "weight"), node.Bias ? TensorGradient(node, "bias") : [], batch, input.Channels, node.Channels, accumulate: true);
                break;
            case "add":
                NaiveOps.Copy<T>(dy, dx, accumulate: true);
                NaiveOps.Copy<T>(dy, gradients[node.Inputs[1]], accumulate: true);
                break;
            default:
                throw new NotSupportedException("naive interpreter has no op " + node.Op);
        }
    }

    private Span<T> Tensor(GraphNode node, string suffix)
    {
        NetworkTensor tensor = TensorOf(node, suffix);
        return (tensor.Trainable ? Parameters : Statistics).AsSpan(tensor.Offset, tensor.Length);
    }

    private Span<T> TensorGradient(GraphNode node, string suffix)
    {
        NetworkTensor tensor = TensorOf(node, suffix);
        return Gradients.AsSpan(tensor.Offset, tensor.Length);
    }

    private NetworkTensor TensorOf(GraphNode node, string suffix) =>
        tensors[node.Tensors.Single(name => name.EndsWith("." + suffix, StringComparison.Ordinal))];

    private void AddChannelBias(T[] y, Span<T> bias, int channels, int spatial)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] += bias[i / spatial % channels];
        }
    }

    private static void SumChannels(T[] dy, Span<T> dBias, int channels, int spatial)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            dBias[i / spatial % channels] += dy[i];
        }
    }

    private static int Size(GraphNode node) => node.OutputShape[0] * node.OutputShape[1] * node.OutputShape[2];

    private static int Spatial(GraphNode node) => node.OutputShape[1] * node.OutputShape[2];

    private static ConvShape ConvShapeOf(GraphNode node, GraphNode input) => new(
        input.OutputShape[0], input.OutputShape[1], input.OutputShape[2], node.OutputShape[0], node.OutputShape[1], node.OutputShape[2],
        node.Kernel, node.Kernel, node.Stride, node.Padding[0], node.Padding[1]);

    private static DepthwiseShape DepthwiseShapeOf(GraphNode node, GraphNode input) => new(
        input.OutputShape[0], input.OutputShape[1], input.OutputShape[2], node.OutputShape[1], node.OutputShape[2], node.Kernel, node.Stride, node.Padding[0], node.Padding[1]);

    private static PoolShape PoolShapeOf(GraphNode node, GraphNode input) => new(
        input.OutputShape[0], input.OutputShape[1], input.OutputShape[2], node.OutputShape[1], node.OutputShape[2], node.Kernel, node.Stride, node.Padding[0], node.Padding[1]);
}
