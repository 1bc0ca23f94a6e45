using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Passes;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>What each step method starts with: a summary of the fused ops and its buffers with shape comments.</summary>
    internal static class StepComments
    {
        public static string Describe(EmitContext context, FusedStep step)
        {
            IEnumerable<string> parts = step.Nodes.Select(id => Describe(context.Node(id), context));
            int line = context.Node(step.Nodes[0]).Span.DisplayLine;
            return string.Join(" -> ", parts) + " (line " + line + ")";
        }

        /// <summary>
        /// Declares x, r, t0.., y as arena buffers: pointers for the CPU code, device views (<paramref name="device"/>) for
        /// the GPU code. In a backward method (<paramref name="backward"/>) they and their gradients are in the training
        /// plan; in a forward method, in the plan of its mode.
        /// </summary>
        public static void DeclareValues(CodeWriter w, EmitContext context, FusedStep step, bool backward, bool device = false)
        {
            var values = new List<int> { step.Input };
            if (step.HasResidual)
            {
                values.Add(step.Residual);
            }

            values.AddRange(step.Intermediates);
            values.Add(step.Output);
            string TrainingSlot(int value, bool gradient = false) => context.Slot(value, gradient);
            string ModeSlot(int value) => backward ? context.Slot(value) : "training ? " + context.Slot(value) + " : " + context.EvalSlot(value);
            foreach (int value in values.Distinct())
            {
                if (value == step.Output && step.FoldedOutput)
                {
                    continue; // never stored: the consumer applies this batch norm as it reads
                }

                if (value == step.Input && step.HasInputNorm)
                {
                    Declare(w, context, step, value, gradient: false, ModeSlot(step.StoredInput), step.StoredInput, device, " (not stored: read as " + context.Node(step.StoredInput).DisplayName + " through its folded batch norm)");
                    continue;
                }

                if (backward && StepDataflow.RecomputedInBackward(step).Contains(value))
                {
                    Declare(w, context, step, value, gradient: false, TrainingSlot(value, gradient: true), value, device, " (recomputed here into its gradient's buffer)");
                    continue;
                }

                Declare(w, context, step, value, gradient: false, ModeSlot(value), value, device);
            }

            if (backward)
            {
                foreach (int value in values.Distinct())
                {
                    Declare(w, context, step, value, gradient: true, TrainingSlot(value, gradient: true), value, device);
                }
            }
        }

        /// <summary>One buffer: a pointer <c>A(slot)</c>, or a device view <c>A(slot, floats per image)</c> of the stored value's size.</summary>
        private static void Declare(CodeWriter w, EmitContext context, FusedStep step, int value, bool gradient, string slot, int stored, bool device, string note = "")
        {
            string local = Local.Of(context, step, value, gradient);
            string buffer = device
                ? "ArrayView<float> " + local + " = A(" + slot + ", " + CodeWriter.Literal(context.Node(stored).Output.Size) + "L)"
                : "float* " + local + " = A(" + slot + ")";
            w.Line(buffer + "; // " + context.ShapeComment(value) + " " + context.Node(value).DisplayName + (gradient ? " gradient" : string.Empty) + note);
        }

        private static string Describe(Node node, EmitContext context)
        {
            string name = node.Name is null ? string.Empty : node.Name + ": ";
            switch (node.Op)
            {
                case ConvOp conv:
                    return name + "conv " + context.Node(node.Inputs[0]).Output.Channels + "->" + conv.OutChannels + " " + conv.Kernel + "x" + conv.Kernel + (conv.Stride > 1 ? " stride " + conv.Stride : string.Empty) + (conv.Padding.IsZero ? string.Empty : " pad " + conv.Padding);
                case DepthwiseOp depthwise:
                    return name + "depthwise " + depthwise.Kernel + "x" + depthwise.Kernel + (depthwise.Stride > 1 ? " stride " + depthwise.Stride : string.Empty) + " pad " + depthwise.Padding;
                case MaxPoolOp pool:
                    return name + "maxpool " + pool.Kernel + "x" + pool.Kernel + " stride " + pool.Stride + " pad " + pool.Padding;
                default:
                    return name + node.Op.Keyword;
            }
        }
    }
}
