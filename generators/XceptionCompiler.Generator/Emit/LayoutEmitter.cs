using System.Linq;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>
    /// Writes <c>Net.Layout.g.cs</c>: sizes, the named tensor offsets, the graph table, the two arena plans,
    /// kernel shapes, the buffers and the constructor.
    /// </summary>
    internal static class LayoutEmitter
    {
        public static string Emit(EmitContext context)
        {
            var w = new CodeWriter();
            NetworkGraph graph = context.Graph;
            Shape input = graph.Input.Output;
            Shape output = graph.Output.Output;
            long macs = graph.Nodes.Sum(n => Costs.MultiplyAdds(graph, n));
            Header.Write(w, context, "System", "System.Collections.Generic", "System.Runtime.CompilerServices", "XceptionCompiler.Runtime.Kernels", "XceptionCompiler.Runtime.Networks");
            using (w.Block("namespace " + context.Namespace))
            {
                w.Line("/// <summary>");
                w.Line("/// " + context.ClassName + ", compiled from " + System.IO.Path.GetFileName(graph.FilePath) + ": input " + input + ", output " + output.Size + ".");
                w.Line("/// " + context.TrainableCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " trainable parameters and " + context.StatisticCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " batch-norm statistics in " + context.Tensors.Count() + " tensors.");
                w.Line("/// Tensors are NCHW float32; the batch is a run-time dimension up to <see cref=\"MaxBatch\"/>.");
                w.Line("/// </summary>");
                using (w.Block("public sealed unsafe partial class " + context.ClassName + " : ICompiledNetwork"))
                {
                    WriteConstants(w, context, input, output, macs);
                    WriteOffsets(w, context);
                    WriteTensorTable(w, context);
                    WriteGraphTable(w, context);
                    WriteArenaPlan(w, context);
                    WriteShapes(w, context);
                    WriteMembers(w, context);
                }
            }

            return w.ToString();
        }

        private static void WriteConstants(CodeWriter w, EmitContext context, Shape input, Shape output, long macs)
        {
            w.Line("public const int InputChannels = " + input.Channels + ";");
            w.Line("public const int InputHeight = " + input.Height + ";");
            w.Line("public const int InputWidth = " + input.Width + ";");
            w.Line("/// <summary>Floats per input image.</summary>");
            w.Line("public const int InputFloats = " + input.Size + ";");
            w.Line("/// <summary>Outputs (logits) per image.</summary>");
            w.Line("public const int OutputFeatures = " + output.Size + ";");
            w.Line("public const int TrainableCount = " + context.TrainableCount + ";");
            w.Line("public const int StatisticCount = " + context.StatisticCount + ";");
            w.Line("public const long MultiplyAddsPerImage = " + macs + "L;");
            w.Line("/// <summary>Arena floats per image of the maximum batch: the larger of the two static memory plans.</summary>");
            w.Line("public const long ArenaFloatsPerImage = " + context.Network.ArenaFloatsPerImage + "L;");
            w.Line("/// <summary>Arena floats per image that ForwardEval uses, at the start of the arena: the evaluation plan's size.</summary>");
            w.Line("public const long EvalArenaFloatsPerImage = " + context.Network.EvalArena.FloatsPerImage + "L;");
            w.Line("private const int SavedFloats = " + context.SavedFloats + ";");
            w.Line();
        }

        private static void WriteOffsets(CodeWriter w, EmitContext context)
        {
            w.Line("/// <summary>Offsets of the named tensors: trainable ones in Parameters (and Gradients), running statistics in Statistics.</summary>");
            using (w.Block("public static class Offsets"))
            {
                foreach (TensorSlot slot in context.Tensors)
                {
                    w.Line("/// <summary>" + slot.Parameter.Name + " (" + string.Join(", ", slot.Parameter.Dimensions) + ") in " + (slot.Parameter.Trainable ? "Parameters" : "Statistics") + ".</summary>");
                    w.Line("public const int " + slot.Field + " = " + slot.Offset + ";");
                }
            }

            w.Line();
        }

        private static void WriteTensorTable(CodeWriter w, EmitContext context)
        {
            w.Line("private static readonly NetworkTensor[] TensorTable =");
            w.Line("{");
            foreach (TensorSlot slot in context.Tensors)
            {
                w.Line("    new NetworkTensor(" + CodeWriter.String(slot.Parameter.Name) + ", TensorRole." + slot.Parameter.Role + ", Offsets." + slot.Field + ", new[] { " + string.Join(", ", slot.Parameter.Dimensions) + " }),");
            }

            w.Line("};");
            w.Line();
        }

        private static void WriteGraphTable(CodeWriter w, EmitContext context)
        {
            w.Line("private static readonly GraphNode[] GraphTable =");
            w.Line("{");
            foreach (Node node in context.Graph.Nodes)
            {
                (int kernel, int stride, Padding padding) = node.Op switch
                {
                    ConvOp c => (c.Kernel, c.Stride, c.Padding),
                    DepthwiseOp d => (d.Kernel, d.Stride, d.Padding),
                    MaxPoolOp m => (m.Kernel, m.Stride, m.Padding),
                    _ => (0, 0, default(Padding)),
                };
                var bn = node.Op as BatchNormOp;
                float rate = node.Op is DropoutOp dropout ? dropout.Rate : 0f;
                bool bias = node.Op is ConvOp { Bias: true } or DenseOp { Bias: true };
                long parameters = node.Parameters.Where(p => p.Trainable).Sum(p => p.Size);
                w.Line("    new GraphNode(" + string.Join(", ", new[]
                {
                    node.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    CodeWriter.String(node.DisplayName),
                    CodeWriter.String(node.Op.Keyword),
                    "new int[] { " + string.Join(", ", node.Inputs) + " }",
                    "new[] { " + node.Output.Channels + ", " + node.Output.Height + ", " + node.Output.Width + " }",
                    node.Output.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    kernel.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    stride.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "new[] { " + padding.Top + ", " + padding.Left + ", " + padding.Bottom + ", " + padding.Right + " }",
                    CodeWriter.Literal(bn?.Epsilon ?? 0f),
                    CodeWriter.Literal(bn?.Momentum ?? 0f),
                    CodeWriter.Literal(rate),
                    CodeWriter.Bool(bias),
                    "new string[] { " + string.Join(", ", node.Parameters.Select(p => CodeWriter.String(p.Name))) + " }",
                    parameters + "L",
                    Costs.MultiplyAdds(context.Graph, node) + "L",
                    node.Span.DisplayLine.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }) + "),");
            }

            w.Line("};");
            w.Line();
        }

        private static void WriteArenaPlan(CodeWriter w, EmitContext context)
        {
            int steps = context.Network.Steps.Count;
            w.Line("// The static memory plans: arena offsets in floats per image (scaled by MaxBatch), with the step range each buffer lives over.");
            w.Line("// Training (ForwardTrain and Backward): forward steps 0.." + (steps - 1) + ", then backward steps " + steps + ".." + ((2 * steps) - 1) + ".");
            foreach (Allocation allocation in context.Network.TrainArena.Allocations)
            {
                WriteSlot(w, context, context.Slot(allocation.Value, allocation.Gradient), allocation);
            }

            w.Line();
            w.Line("// Evaluation (ForwardEval): forward steps 0.." + (steps - 1) + " only, nothing kept for Backward, so it fits in the first EvalArenaFloatsPerImage.");
            foreach (Allocation allocation in context.Network.EvalArena.Allocations)
            {
                WriteSlot(w, context, context.EvalSlot(allocation.Value), allocation);
            }

            w.Line();
        }

        private static void WriteSlot(CodeWriter w, EmitContext context, string slot, Allocation allocation) =>
            w.Line("private const long " + slot + " = " + allocation.Offset + "L; // " + context.ShapeComment(allocation.Value) + ", live " + allocation.FirstUse + ".." + allocation.LastUse);

        private static void WriteShapes(CodeWriter w, EmitContext context)
        {
            foreach (FusedStep step in context.Network.Steps)
            {
                if (ShapeConstructor.Of(context, step) is { } shape)
                {
                    w.Line("private static readonly " + shape.Type + " " + context.ShapeField(step) + " = " + shape.Expression + ";");
                }
            }

            w.Line();
        }

        private static void WriteMembers(CodeWriter w, EmitContext context)
        {
            string name = CodeWriter.String(context.ClassName);
            string[] convShapes = context.Network.Steps
                .Where(s => s.Kind == StepKind.Conv && !KernelChoice.UsesPointwise(s, (ConvOp)context.Node(s.Core[0]).Op))
                .Select(s => "Conv2d.WorkspaceFloats(" + context.ShapeField(s) + ")")
                .ToArray();
            string workspace = convShapes.Length == 0 ? "0" : convShapes.Aggregate((a, b) => "Math.Max(" + a + ", " + b + ")");

            w.Line("private readonly PinnedBuffer parameters = new PinnedBuffer(TrainableCount);");
            w.Line("private readonly PinnedBuffer gradients = new PinnedBuffer(TrainableCount);");
            w.Line("private readonly PinnedBuffer statistics = new PinnedBuffer(StatisticCount);");
            w.Line("private readonly PinnedBuffer saved = new PinnedBuffer(SavedFloats);");
            w.Line("private readonly PinnedBuffer workspace = new PinnedBuffer(" + workspace + ");");
            w.Line("private readonly PinnedBuffer arena;");
            w.Line("private readonly float* p, g, s, sv, ws, a;");
            w.Line();
            w.Line("/// <summary>Batch of the last ForwardTrain (0 after Backward or ForwardEval, which overwrite its buffers): what Backward differentiates.</summary>");
            w.Line("private int trainedBatch;");
            w.Line();
            w.Line("/// <summary>Allocates every buffer for up to <paramref name=\"maxBatch\"/> images and initialises the parameters with seed 0.</summary>");
            using (w.Block("public " + context.ClassName + "(int maxBatch = 32)"))
            {
                w.Line("NetworkGuard.CheckMaxBatch(" + name + ", maxBatch);");
                w.Line("MaxBatch = maxBatch;");
                w.Line("arena = new PinnedBuffer(checked(ArenaFloatsPerImage * maxBatch));");
                w.Line("p = parameters.Pointer;");
                w.Line("g = gradients.Pointer;");
                w.Line("s = statistics.Pointer;");
                w.Line("sv = saved.Pointer;");
                w.Line("ws = workspace.Pointer;");
                w.Line("a = arena.Pointer;");
                w.Line("ParameterInit.Initialize(this, seed: 0);");
            }

            w.Line();
            w.Line("[ModuleInitializer]");
            w.Line("internal static void Register() => NetworkRegistry.Register(" + name + ", maxBatch => new " + context.ClassName + "(maxBatch));");
            w.Line();
            w.Line("public string Name => " + name + ";");
            w.Line("public int MaxBatch { get; }");
            w.Line("public int[] InputShape => new[] { InputChannels, InputHeight, InputWidth };");
            w.Line("public int OutputSize => OutputFeatures;");
            w.Line("public IReadOnlyList<NetworkTensor> Tensors => TensorTable;");
            w.Line("public IReadOnlyList<GraphNode> Graph => GraphTable;");
            w.Line("public float[] Parameters => parameters.Array;");
            w.Line("public float[] Gradients => gradients.Array;");
            w.Line("public float[] Statistics => statistics.Array;");
            w.Line("public long ArenaFloats => arena.Length;");
            w.Line("public long EvalArenaFloats => EvalArenaFloatsPerImage * MaxBatch;");
            w.Line("public bool DropoutEnabled { get; set; } = true;");
            w.Line("public ulong DropoutSeed { get; set; }");
            w.Line("public long Step { get; set; }");
            w.Line();
            w.Line("public void ZeroGradients() => Array.Clear(gradients.Array);");
            w.Line();
            w.Line("/// <summary>The buffer at a planned arena offset (in floats per image).</summary>");
            w.Line("private float* A(long slot) => a + (slot * MaxBatch);");
        }
    }
}
