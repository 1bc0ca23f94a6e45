using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>
    /// The symbols the emitters share: where each named tensor lives, the arena slot of each value and gradient,
    /// and the saved batch statistics of each batch norm. One place decides every generated identifier.
    /// </summary>
    internal sealed class EmitContext
    {
        private readonly Dictionary<string, TensorSlot> tensors = new Dictionary<string, TensorSlot>();
        private readonly Dictionary<int, long> savedOffsets = new Dictionary<int, long>();

        public EmitContext(CompiledNetwork network, string namespaceName)
        {
            Network = network;
            Namespace = namespaceName;
            var used = new HashSet<string>();
            long trainable = 0;
            long statistics = 0;
            foreach (ParameterSpec parameter in Graph.Parameters)
            {
                string field = Identifiers.Snake(parameter.Name);
                while (!used.Add(field))
                {
                    field += "_";
                }

                long offset = parameter.Trainable ? trainable : statistics;
                tensors.Add(parameter.Name, new TensorSlot(parameter, field, offset));
                if (parameter.Trainable)
                {
                    trainable += parameter.Size;
                }
                else
                {
                    statistics += parameter.Size;
                }
            }

            TrainableCount = trainable;
            StatisticCount = statistics;
            // Per batch norm: mean and 1/std for backward, then the scale and shift that a consumer it is folded into, or
            // the evaluation epilogue of the convolution it follows, reads.
            foreach (Node node in Graph.Nodes.Where(n => n.Op is BatchNormOp))
            {
                savedOffsets.Add(node.Id, SavedFloats);
                SavedFloats += 4L * node.Output.Channels;
            }
        }

        public CompiledNetwork Network { get; }

        public NetworkGraph Graph => Network.Graph;

        public string Namespace { get; }

        public string ClassName => Graph.Name;

        public long TrainableCount { get; }

        public long StatisticCount { get; }

        /// <summary>Floats of saved per-channel batch-norm vectors: mean, 1/std, scale and shift.</summary>
        public long SavedFloats { get; }

        public IEnumerable<TensorSlot> Tensors => Graph.Parameters.Select(p => tensors[p.Name]);

        public Node Node(int id) => Graph.Nodes[id];

        /// <summary>Identifier of the training plan's arena slot of a value (<paramref name="gradient"/> false) or of its gradient.</summary>
        public string Slot(int value, bool gradient = false) =>
            (gradient ? "Grad" : "Act") + value + "_" + Identifiers.Snake(Node(value).DisplayName);

        /// <summary>Identifier of the evaluation plan's arena slot of a value.</summary>
        public string EvalSlot(int value) => "Eval" + value + "_" + Identifiers.Snake(Node(value).DisplayName);

        /// <summary>Pointer expression for a value's activation or gradient buffer in the training plan.</summary>
        public string Pointer(int value, bool gradient = false) => "A(" + Slot(value, gradient) + ")";

        /// <summary>Pointer expression for a value's buffer in the evaluation plan.</summary>
        public string EvalPointer(int value) => "A(" + EvalSlot(value) + ")";

        /// <summary>Pointer to a tensor's values: parameters for trainable tensors, statistics for running statistics.</summary>
        public string Tensor(string name) => (tensors[name].Parameter.Trainable ? "p" : "s") + " + Offsets." + tensors[name].Field;

        /// <summary>Pointer to a trainable tensor's gradient.</summary>
        public string TensorGradient(string name) => "g + Offsets." + tensors[name].Field;

        /// <summary>The name of a node's tensor with the given suffix (weight, bias, running_mean...).</summary>
        public string TensorOf(int node, string suffix) => Node(node).Parameters.First(p => p.Name.EndsWith("." + suffix, System.StringComparison.Ordinal)).Name;

        public bool HasTensor(int node, string suffix) => Node(node).Parameters.Any(p => p.Name.EndsWith("." + suffix, System.StringComparison.Ordinal));

        public string SavedMean(int batchNorm) => "sv + " + savedOffsets[batchNorm];

        public string SavedInvStd(int batchNorm) => "sv + " + (savedOffsets[batchNorm] + Node(batchNorm).Output.Channels);

        /// <summary>The per-channel scale a batch norm writes for its folded consumer or its evaluation epilogue (after its mean and 1/std).</summary>
        public string SavedScale(int batchNorm) => "sv + " + (savedOffsets[batchNorm] + (2L * Node(batchNorm).Output.Channels));

        /// <summary>The per-channel shift a batch norm writes for its folded consumer or its evaluation epilogue.</summary>
        public string SavedShift(int batchNorm) => "sv + " + (savedOffsets[batchNorm] + (3L * Node(batchNorm).Output.Channels));

        /// <summary>Device view of a tensor's values: <c>P(offset, length)</c> for trainable tensors, <c>S(...)</c> for running statistics.</summary>
        public string DeviceTensor(string name) =>
            (tensors[name].Parameter.Trainable ? "P" : "S") + "(Offsets." + tensors[name].Field + ", " + CodeWriter.Literal(tensors[name].Parameter.Size) + ")";

        /// <summary>Device view of a trainable tensor's gradient.</summary>
        public string DeviceTensorGradient(string name) => "G(Offsets." + tensors[name].Field + ", " + CodeWriter.Literal(tensors[name].Parameter.Size) + ")";

        /// <summary>
        /// Device view of one of a batch norm's saved per-channel vectors: 0 mean, 1 1/std, 2 folded scale, 3 folded shift
        /// (the same order <see cref="SavedMean"/>.. <see cref="SavedShift"/> give the CPU code).
        /// </summary>
        public string DeviceSaved(int batchNorm, int part)
        {
            long channels = Node(batchNorm).Output.Channels;
            return "Saved(" + CodeWriter.Literal(savedOffsets[batchNorm] + (part * channels)) + ", " + CodeWriter.Literal(channels) + ")";
        }

        /// <summary>The prologue argument of a depthwise call whose step has a batch norm folded into its input, else nothing.</summary>
        public string PrologueArgument(FusedStep step) =>
            step.HasInputNorm ? ", prologue: new ChannelAffine(" + SavedScale(step.InputNorm) + ", " + SavedShift(step.InputNorm) + ")" : string.Empty;

        /// <summary>
        /// The foldedNorm argument of a depthwise backward whose step has a batch norm folded into its input: the
        /// depthwise's data gradient is that batch norm's whole output gradient (its only reader is this step), so the
        /// depthwise backward runs the batch norm's backward too, writing the gradient of the batch norm's input
        /// (<see cref="FusedStep.StoredInput"/>); the step that owns the batch norm then skips it. Else nothing.
        /// </summary>
        public string FoldedNormArgument(FusedStep step)
        {
            if (!step.HasInputNorm)
            {
                return string.Empty;
            }

            int bn = step.InputNorm;
            return ", foldedNorm: new FoldedNormBackward(" + Tensor(TensorOf(bn, "weight")) + ", " + SavedMean(bn) + ", " + SavedInvStd(bn) + ", "
                + Pointer(step.StoredInput, gradient: true) + ", " + TensorGradient(TensorOf(bn, "weight")) + ", " + TensorGradient(TensorOf(bn, "bias")) + ")";
        }

        /// <summary>The element count of a value for a batch of n: <c>n * C*H*W</c>.</summary>
        public string Count(int value) => "n * " + CodeWriter.Literal(Node(value).Output.Size) + "L";

        /// <summary>A shape comment such as <c>[n, 128, 147, 147]</c>.</summary>
        public string ShapeComment(int value)
        {
            Shape shape = Node(value).Output;
            return "[n, " + shape.Channels + ", " + shape.Height + ", " + shape.Width + "]";
        }

        public string ShapeField(FusedStep step) => step.MethodName + "Shape";
    }

    /// <summary>Where a named tensor lives: its generated offset field and its offset in its buffer.</summary>
    internal sealed record TensorSlot(ParameterSpec Parameter, string Field, long Offset);
}
