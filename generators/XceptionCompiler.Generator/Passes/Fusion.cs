using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Passes
{
    /// <summary>
    /// Groups graph nodes into fused steps. A ReLU becomes the prologue of the one conv or depthwise that reads it
    /// (read as max(x, 0) on the fly, so the ReLU output never exists); a depthwise followed by its pointwise is one
    /// separable step; a batch norm joins the conv before it, and a residual add and a ReLU join the batch norm
    /// (or the max pool) before them when nothing else reads the intermediate result. A batch norm whose only reader
    /// is a ReLU prologue of a depthwise convolution is folded into that prologue: its output is never stored.
    /// </summary>
    internal static class Fusion
    {
        public static List<FusedStep> Run(NetworkGraph graph)
        {
            IReadOnlyList<IReadOnlyList<int>> consumers = graph.Consumers();
            var claimed = new bool[graph.Nodes.Count];
            var steps = new List<FusedStep>();
            var methodNames = new HashSet<string>();

            int? SoleConsumer(int node) => consumers[node].Count == 1 ? consumers[node][0] : (int?)null;
            Op OpOf(int node) => graph.Nodes[node].Op;
            bool IsReluPrologue(int relu) =>
                OpOf(relu) is ReluOp && SoleConsumer(relu) is int reader && OpOf(reader) is ConvOp or DepthwiseOp;

            // A batch norm fused into the conv before it, read only through the ReLU prologue of a depthwise.
            bool IsFoldedNorm(int bn) =>
                OpOf(bn) is BatchNormOp
                && OpOf(graph.Nodes[bn].Inputs[0]) is ConvOp or DepthwiseOp && SoleConsumer(graph.Nodes[bn].Inputs[0]) == bn
                && SoleConsumer(bn) is int relu && IsReluPrologue(relu)
                && SoleConsumer(relu) is int reader && OpOf(reader) is DepthwiseOp;

            foreach (Node node in graph.Nodes.Skip(1))
            {
                if (claimed[node.Id])
                {
                    continue;
                }

                if (IsReluPrologue(node.Id))
                {
                    continue;
                }

                var core = new List<int> { node.Id };
                StepKind kind;
                switch (node.Op)
                {
                    case DepthwiseOp when SoleConsumer(node.Id) is int next && OpOf(next) is ConvOp { IsPointwise: true }:
                        core.Add(next);
                        kind = StepKind.Separable;
                        break;
                    case DepthwiseOp:
                        kind = StepKind.Depthwise;
                        break;
                    case ConvOp:
                        kind = StepKind.Conv;
                        break;
                    case BatchNormOp:
                        core.Clear();
                        kind = StepKind.BatchNorm;
                        break;
                    case MaxPoolOp:
                        kind = StepKind.MaxPool;
                        break;
                    case GlobalAvgPoolOp:
                        kind = StepKind.GlobalAvgPool;
                        break;
                    case DropoutOp:
                        kind = StepKind.Dropout;
                        break;
                    case DenseOp:
                        kind = StepKind.Dense;
                        break;
                    case ReluOp:
                        kind = StepKind.Relu;
                        break;
                    default:
                        core.Clear();
                        kind = StepKind.Add;
                        break;
                }

                // The ReLU prologue: the core's input is a ReLU that exists only inside this step.
                int input = graph.Nodes[node.Id].Inputs.Count > 0 ? graph.Nodes[node.Id].Inputs[0] : 0;
                bool reluInput = kind is StepKind.Conv or StepKind.Separable or StepKind.Depthwise && OpOf(input) is ReluOp && IsReluPrologue(input);
                if (reluInput)
                {
                    input = graph.Nodes[input].Inputs[0];
                }

                int last = core.Count > 0 ? core[core.Count - 1] : node.Id;
                int batchNorm = kind == StepKind.BatchNorm ? node.Id : -1;
                if (kind is StepKind.Conv or StepKind.Separable or StepKind.Depthwise && SoleConsumer(last) is int bn && OpOf(bn) is BatchNormOp)
                {
                    batchNorm = bn;
                    last = bn;
                }

                // A standalone add reads its second operand through the residual slot.
                int residual = kind == StepKind.Add ? node.Inputs[1] : -1;
                int addNode = -1;
                bool canTakeEpilogue = batchNorm >= 0 || kind is StepKind.BatchNorm or StepKind.MaxPool;
                if (canTakeEpilogue && SoleConsumer(last) is int add && OpOf(add) is AddOp)
                {
                    // The other operand must already exist when this step runs.
                    int other = graph.Nodes[add].Inputs[0] == last ? graph.Nodes[add].Inputs[1] : graph.Nodes[add].Inputs[0];
                    if (other < last)
                    {
                        residual = other;
                        addNode = add;
                        last = add;
                    }
                }

                bool reluOutput = false;
                if ((batchNorm >= 0 || kind == StepKind.BatchNorm) && SoleConsumer(last) is int relu && OpOf(relu) is ReluOp && !IsReluPrologue(relu))
                {
                    reluOutput = true;
                    last = relu;
                }

                bool foldedOutput = batchNorm >= 0 && kind != StepKind.BatchNorm && last == batchNorm && IsFoldedNorm(batchNorm);
                int inputNorm = reluInput && IsFoldedNorm(input) ? input : -1;
                int storedInput = inputNorm >= 0 ? graph.Nodes[inputNorm].Inputs[0] : input;

                var covered = new List<int>();
                if (reluInput)
                {
                    covered.Add(graph.Nodes[core[0]].Inputs[0]);
                }

                covered.AddRange(core);
                covered.AddRange(new[] { batchNorm, kind == StepKind.Add ? node.Id : -1, addNode, reluOutput ? last : -1 }.Where(id => id >= 0));
                foreach (int id in covered)
                {
                    claimed[id] = true;
                }

                steps.Add(new FusedStep(
                    steps.Count,
                    kind,
                    UniqueMethodName(node, kind, methodNames),
                    input,
                    reluInput,
                    core.ToEquatableArray(),
                    batchNorm,
                    residual,
                    reluOutput,
                    last,
                    foldedOutput,
                    inputNorm,
                    storedInput,
                    covered.ToEquatableArray()));
            }

            return steps;
        }

        /// <summary>A method name from the module path: block1.rep.0.conv1 -> Block1Rep0.</summary>
        private static string UniqueMethodName(Node node, StepKind kind, HashSet<string> used)
        {
            string path = node.Name ?? (kind.ToString() + node.Id);
            if (kind == StepKind.Separable && path.EndsWith(".conv1", System.StringComparison.Ordinal))
            {
                path = path.Substring(0, path.Length - ".conv1".Length);
            }

            string name = Identifiers.Pascal(path);
            if (!used.Add(name))
            {
                name += "_" + node.Id;
                used.Add(name);
            }

            return name;
        }
    }
}
