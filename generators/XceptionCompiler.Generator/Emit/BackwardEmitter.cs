using System.Linq;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>
    /// Writes <c>Net.Backward.g.cs</c>: Backward, and one method per fused step in reverse order. Parameter
    /// gradients accumulate; activation gradients are overwritten by their first writer and accumulated after.
    /// </summary>
    internal static class BackwardEmitter
    {
        public static string Emit(EmitContext context)
        {
            var w = new CodeWriter();
            Header.Write(w, context, "System", "XceptionCompiler.Runtime.Kernels", "XceptionCompiler.Runtime.Networks");
            using (w.Block("namespace " + context.Namespace))
            {
                using (w.Block("public sealed unsafe partial class " + context.ClassName))
                {
                    WriteEntry(w, context);
                    foreach (FusedStep step in context.Network.Steps.Reverse())
                    {
                        WriteStep(w, context, step, context.Network.Flags[step.Index]);
                    }
                }
            }

            return w.ToString();
        }

        private static void WriteEntry(CodeWriter w, EmitContext context)
        {
            w.Line("/// <summary>Backward of the last ForwardTrain: accumulates into Gradients; writes the input gradient unless the span is empty.</summary>");
            using (w.Block("public void Backward(ReadOnlySpan<float> logitsGradient, Span<float> inputGradient)"))
            {
                w.Line("NetworkGuard.CheckBackward(Name, trainedBatch, logitsGradient.Length, OutputFeatures, inputGradient.Length, InputFloats);");
                w.Line("int n = trainedBatch;");
                w.Line("bool wantInputGradient = !inputGradient.IsEmpty;");
                w.Line("logitsGradient.Slice(0, n * OutputFeatures).CopyTo(new Span<float>(" + context.Pointer(context.Graph.Output.Id, gradient: true) + ", n * OutputFeatures));");
                foreach (FusedStep step in context.Network.Steps.Reverse())
                {
                    w.Line(step.MethodName + "_Backward(n" + (step.ReadsNetworkInput ? ", wantInputGradient" : string.Empty) + ");");
                }

                w.Line("if (wantInputGradient) new ReadOnlySpan<float>(" + context.Pointer(0, gradient: true) + ", n * InputFloats).CopyTo(inputGradient);");
                w.Line("trainedBatch = 0; // gradients reused the forward buffers: one backward per forward");
            }

            w.Line();
        }

        private static void WriteStep(CodeWriter w, EmitContext context, FusedStep step, GradientFlags flags)
        {
            w.Line("/// <summary>Backward of " + StepComments.Describe(context, step) + "</summary>");
            bool guarded = step.ReadsNetworkInput;
            using (w.Block("private void " + step.MethodName + "_Backward(int n" + (guarded ? ", bool inputGradient" : string.Empty) + ")"))
            {
                StepComments.DeclareValues(w, context, step, backward: true);
                string guard = guarded ? "if (inputGradient) " : string.Empty;
                string accumulate = CodeWriter.Bool(flags.AccumulateInput);
                string accumulateResidual = CodeWriter.Bool(flags.AccumulateResidual);
                Node core = context.Node(step.Core.Count > 0 ? step.Core[0] : step.Output);
                string relu = CodeWriter.Bool(step.ReluInput);
                string count = context.Count(step.Output);
                if (step.HasBatchNorm && !step.FoldedOutput)
                {
                    // Never guarded: it also produces the scale and shift gradients. A folded one's backward is run by
                    // the depthwise it is folded into (EmitContext.FoldedNormArgument).
                    WriteBatchNorm(w, context, step, flags);
                }

                switch (step.Kind)
                {
                    case StepKind.Conv:
                        WriteConv(w, context, step, (ConvOp)core.Op, core, guard, accumulate);
                        break;
                    case StepKind.Separable:
                        Node pointwise = context.Node(step.Core[1]);
                        string dPointwise = Local.Of(context, step, pointwise.Id, gradient: true);
                        string depthwiseOut = Local.Of(context, step, core.Id);
                        string dDepthwise = Local.Of(context, step, core.Id, gradient: true);
                        string sizes = "n, " + core.Output.Channels + ", " + pointwise.Output.Channels + ", " + core.Output.Spatial;
                        // The forward pass did not keep the depthwise output: the depthwise backward redoes it from the
                        // input it reads anyway, into its gradient's buffer once that is read, for the pointwise weights.
                        w.Line("Pointwise.BackwardData(" + dPointwise + ", " + context.Tensor(context.TensorOf(pointwise.Id, "weight")) + ", " + dDepthwise + ", " + sizes + ", accumulate: false);");
                        WriteDepthwise(w, context, step, core, dDepthwise, guard, relu, accumulate, recompute: depthwiseOut);
                        w.Line("Pointwise.BackwardWeights(" + dPointwise + ", " + depthwiseOut + ", " + context.TensorGradient(context.TensorOf(pointwise.Id, "weight")) + ", " + sizes + ");");
                        break;
                    case StepKind.Depthwise:
                        WriteDepthwise(w, context, step, core, Local.Of(context, step, core.Id, gradient: true), guard, relu, accumulate);
                        break;
                    case StepKind.MaxPool:
                        if (step.HasResidual)
                        {
                            w.Line("Elementwise.Copy(dy, " + Local.Of(context, step, step.Residual, gradient: true) + ", " + count + ", accumulate: " + accumulateResidual + ");");
                        }

                        w.Line(guard + "MaxPool.Backward(dy, x, dx, n, " + context.ShapeField(step) + ", accumulate: " + accumulate + ");");
                        break;
                    case StepKind.GlobalAvgPool:
                        Shape pooled = context.Node(step.Input).Output;
                        w.Line(guard + "GlobalAvgPool.Backward(dy, dx, n, " + pooled.Channels + ", " + pooled.Spatial + ", accumulate: " + accumulate + ");");
                        break;
                    case StepKind.Dropout:
                        var dropout = (DropoutOp)core.Op;
                        w.Line(guard + "if (DropoutEnabled) Dropout.Backward(dy, dx, " + count + ", " + CodeWriter.Literal(dropout.Rate) + ", StepSeed.For(DropoutSeed, Step, " + core.Id + "), accumulate: " + accumulate + ");");
                        w.Line(guard + "if (!DropoutEnabled) Elementwise.Copy(dy, dx, " + count + ", accumulate: " + accumulate + ");");
                        break;
                    case StepKind.Dense:
                        var dense = (DenseOp)core.Op;
                        string weight = context.TensorOf(core.Id, "weight");
                        string biasGradient = dense.Bias ? context.TensorGradient(context.TensorOf(core.Id, "bias")) : "null";
                        string dx = guarded ? "inputGradient ? dx : null" : "dx";
                        w.Line("Dense.Backward(dy, x, " + context.Tensor(weight) + ", " + dx + ", " + context.TensorGradient(weight) + ", " + biasGradient + ", n, " + context.Node(step.Input).Output.Channels + ", " + dense.Units + ", accumulate: " + accumulate + ");");
                        break;
                    case StepKind.Relu:
                        w.Line(guard + "Activation.ReluBackward(dy, y, dx, " + count + ", accumulate: " + accumulate + ");");
                        break;
                    case StepKind.Add:
                        w.Line("Elementwise.Copy(dy, " + Local.Of(context, step, step.Residual, gradient: true) + ", " + count + ", accumulate: " + accumulateResidual + ");");
                        w.Line(guard + "Elementwise.Copy(dy, dx, " + count + ", accumulate: " + accumulate + ");");
                        break;
                }
            }

            w.Line();
        }

        private static void WriteBatchNorm(CodeWriter w, EmitContext context, FusedStep step, GradientFlags flags)
        {
            int bn = step.BatchNorm;
            Shape shape = context.Node(bn).Output;
            string input = Local.Of(context, step, step.NormInput);
            string dInput = Local.Of(context, step, step.NormInput, gradient: true);
            // A fused batch norm's input is the step's private intermediate (overwritten); a standalone one follows the flags.
            string accumulateInput = CodeWriter.Bool(step.Kind == StepKind.BatchNorm && flags.AccumulateInput);
            // y is read only for the ReLU mask (a folded batch norm has no stored output and no ReLU).
            w.Line("BatchNorm.Backward(dy, " + (step.ReluOutput ? "y" : "null") + ", " + input + ", " + context.Tensor(context.TensorOf(bn, "weight")) + ", " + context.SavedMean(bn) + ", " + context.SavedInvStd(bn) + ", " + dInput + ", "
                + context.TensorGradient(context.TensorOf(bn, "weight")) + ", " + context.TensorGradient(context.TensorOf(bn, "bias")) + ", n, " + shape.Channels + ", " + shape.Spatial
                + ", reluOutput: " + CodeWriter.Bool(step.ReluOutput) + ", dResidual: " + (step.HasResidual ? Local.Of(context, step, step.Residual, gradient: true) : "null") + ", accumulateResidual: " + CodeWriter.Bool(flags.AccumulateResidual) + ", accumulateInput: " + accumulateInput + ");");
        }

        private static void WriteConv(CodeWriter w, EmitContext context, FusedStep step, ConvOp conv, Node core, string guard, string accumulate)
        {
            string weight = context.TensorOf(core.Id, "weight");
            string dOutput = Local.Of(context, step, core.Id, gradient: true);
            if (conv.Bias)
            {
                w.Line("ChannelBias.Backward(" + dOutput + ", " + context.TensorGradient(context.TensorOf(core.Id, "bias")) + ", n, " + core.Output.Channels + ", " + core.Output.Spatial + ");");
            }

            if (KernelChoice.UsesPointwise(step, conv))
            {
                string sizes = "n, " + context.Node(step.Input).Output.Channels + ", " + conv.OutChannels + ", " + core.Output.Spatial;
                w.Line("Pointwise.BackwardWeights(" + dOutput + ", x, " + context.TensorGradient(weight) + ", " + sizes + ");");
                w.Line(guard + "Pointwise.BackwardData(" + dOutput + ", " + context.Tensor(weight) + ", dx, " + sizes + ", accumulate: " + accumulate + ");");
            }
            else
            {
                string shape = context.ShapeField(step);
                string relu = CodeWriter.Bool(step.ReluInput);
                w.Line("Conv2d.BackwardWeights(" + dOutput + ", x, " + context.TensorGradient(weight) + ", n, " + shape + ", reluInput: " + relu + ");");
                w.Line(guard + "Conv2d.BackwardData(" + dOutput + ", " + context.Tensor(weight) + ", x, dx, n, " + shape + ", reluInput: " + relu + ", accumulate: " + accumulate + ", ws);");
            }
        }

        private static void WriteDepthwise(CodeWriter w, EmitContext context, FusedStep step, Node core, string dOutput, string guard, string relu, string accumulate, string? recompute = null)
        {
            string weight = context.TensorOf(core.Id, "weight");
            string shape = context.ShapeField(step);
            string prologue = context.PrologueArgument(step);
            // Both gradients in one call (one pass over each plane); a null dx leaves the data gradient out.
            string dx = guard.Length > 0 ? "inputGradient ? dx : null" : "dx";
            w.Line("Depthwise.Backward(" + dOutput + ", " + context.Tensor(weight) + ", x, " + dx + ", " + context.TensorGradient(weight) + ", n, " + shape
                + ", reluInput: " + relu + ", accumulate: " + accumulate + prologue + (recompute is null ? string.Empty : ", recompute: " + recompute)
                + context.FoldedNormArgument(step) + ");");
        }
    }
}
