using System.Linq;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>Writes <c>Net.Forward.g.cs</c>: ForwardTrain, ForwardEval, and one method per fused step.</summary>
    internal static class ForwardEmitter
    {
        public static string Emit(EmitContext context)
        {
            var w = new CodeWriter();
            Header.Write(w, context, "System", "XceptionCompiler.Runtime.Kernels", "XceptionCompiler.Runtime.Networks");
            using (w.Block("namespace " + context.Namespace))
            {
                using (w.Block("public sealed unsafe partial class " + context.ClassName))
                {
                    WriteEntry(w, context, training: true);
                    WriteEntry(w, context, training: false);
                    foreach (FusedStep step in context.Network.Steps)
                    {
                        WriteStep(w, context, step);
                    }
                }
            }

            return w.ToString();
        }

        private static void WriteEntry(CodeWriter w, EmitContext context, bool training)
        {
            int input = context.Graph.Input.Id;
            int output = context.Graph.Output.Id;
            w.Line(training
                ? "/// <summary>Training-mode forward: batch statistics, running-statistics update, dropout; keeps what Backward needs.</summary>"
                : "/// <summary>Evaluation-mode forward: running statistics, no dropout; the evaluation plan keeps nothing for Backward.</summary>");
            using (w.Block("public void Forward" + (training ? "Train" : "Eval") + "(ReadOnlySpan<float> input, int batch, Span<float> logits)"))
            {
                w.Line("NetworkGuard.CheckForward(Name, batch, MaxBatch, input.Length, InputFloats, logits.Length, OutputFeatures);");
                w.Line("int n = batch;");
                if (training)
                {
                    w.Line("Step++;");
                }

                w.Line(training ? "trainedBatch = n;" : "trainedBatch = 0; // the evaluation plan overwrites what Backward would read");
                w.Line("input.Slice(0, n * InputFloats).CopyTo(new Span<float>(" + Pointer(context, input, training) + ", n * InputFloats));");
                foreach (FusedStep step in context.Network.Steps)
                {
                    w.Line(step.MethodName + "_Forward(n, training: " + CodeWriter.Bool(training) + ");");
                }

                w.Line("new ReadOnlySpan<float>(" + Pointer(context, output, training) + ", n * OutputFeatures).CopyTo(logits);");
            }

            w.Line();
        }

        private static string Pointer(EmitContext context, int value, bool training) => training ? context.Pointer(value) : context.EvalPointer(value);

        private static void WriteStep(CodeWriter w, EmitContext context, FusedStep step)
        {
            w.Line("/// <summary>" + StepComments.Describe(context, step) + "</summary>");
            using (w.Block("private void " + step.MethodName + "_Forward(int n, bool training)"))
            {
                StepComments.DeclareValues(w, context, step, backward: false);
                Node core = context.Node(step.Core.Count > 0 ? step.Core[0] : step.Output);
                if (HasEvalEpilogue(context, step))
                {
                    WriteWithEvalEpilogue(w, context, step, core);
                }
                else
                {
                    WriteBody(w, context, step, core);
                }
            }

            w.Line();
        }

        /// <summary>The step's forward as it runs in training (and in evaluation when it has no epilogue).</summary>
        private static void WriteBody(CodeWriter w, EmitContext context, FusedStep step, Node core)
        {
            switch (step.Kind)
            {
                case StepKind.Conv:
                    WriteConv(w, context, step, (ConvOp)core.Op, core);
                    break;
                case StepKind.Separable:
                    w.Line(DepthwiseCall.Separable(context, step, core, context.Node(step.Core[1])));
                    break;
                case StepKind.Depthwise:
                    w.Line(DepthwiseCall.Forward(context, step, core));
                    break;
                case StepKind.MaxPool:
                    w.Line("MaxPool.Forward(x, y, n, " + context.ShapeField(step) + ", residual: " + (step.HasResidual ? Local.Of(context, step, step.Residual) : "null") + ");");
                    break;
                case StepKind.GlobalAvgPool:
                    Shape pooled = context.Node(step.Input).Output;
                    w.Line("GlobalAvgPool.Forward(x, y, n, " + pooled.Channels + ", " + pooled.Spatial + ");");
                    break;
                case StepKind.Dropout:
                    var dropout = (DropoutOp)core.Op;
                    w.Line("if (training && DropoutEnabled) Dropout.Forward(x, y, " + context.Count(step.Output) + ", " + CodeWriter.Literal(dropout.Rate) + ", StepSeed.For(DropoutSeed, Step, " + core.Id + "));");
                    w.Line("else Elementwise.Copy(x, y, " + context.Count(step.Output) + ", accumulate: false);");
                    break;
                case StepKind.Dense:
                    var dense = (DenseOp)core.Op;
                    string bias = dense.Bias ? context.Tensor(context.TensorOf(core.Id, "bias")) : "null";
                    w.Line("Dense.Forward(x, " + context.Tensor(context.TensorOf(core.Id, "weight")) + ", " + bias + ", y, n, " + context.Node(step.Input).Output.Channels + ", " + dense.Units + ");");
                    break;
                case StepKind.Relu:
                    w.Line("Activation.ReluForward(x, y, " + context.Count(step.Output) + ");");
                    break;
                case StepKind.Add:
                    w.Line("Elementwise.Add(x, " + Local.Of(context, step, step.Residual) + ", y, " + context.Count(step.Output) + ");");
                    break;
            }

            if (step.HasBatchNorm)
            {
                WriteBatchNorm(w, context, step);
            }
        }

        /// <summary>
        /// A convolution (or separable) step whose batch norm is stored, not folded, and reads the convolution's
        /// output directly: in evaluation its normalisation, residual add and ReLU run in the GEMM's epilogue, so the
        /// convolution writes the step's output straight away and its raw output is never stored.
        /// </summary>
        private static bool HasEvalEpilogue(EmitContext context, FusedStep step) =>
            step.HasBatchNorm && !step.FoldedOutput
            && (step.Kind == StepKind.Separable || (step.Kind == StepKind.Conv && !((ConvOp)context.Node(step.Core[0]).Op).Bias));

        private static void WriteWithEvalEpilogue(CodeWriter w, EmitContext context, FusedStep step, Node core)
        {
            int bn = step.BatchNorm;
            var op = (BatchNormOp)context.Node(bn).Op;
            string residual = step.HasResidual ? Local.Of(context, step, step.Residual) : "null";
            string epilogue = "new OutputEpilogue(new ChannelAffine(" + context.SavedScale(bn) + ", " + context.SavedShift(bn) + "), residual: " + residual + ", relu: " + CodeWriter.Bool(step.ReluOutput) + ")";
            using (w.Block("if (training)"))
            {
                w.Line(GemmCall(context, step, core, Local.Of(context, step, step.NormInput), epilogue: null));
                w.Line(TrainForward(context, step));
            }

            using (w.Block("else"))
            {
                w.Line("BatchNorm.EvalAffine(" + BatchNormTensors(context, bn) + ", " + context.SavedScale(bn) + ", " + context.SavedShift(bn) + ", " + context.Node(bn).Output.Channels + ", " + CodeWriter.Literal(op.Epsilon) + ");");
                w.Line(GemmCall(context, step, core, "y", epilogue));
            }
        }

        // The separable or convolution call of a step with an evaluation epilogue.
        private static string GemmCall(EmitContext context, FusedStep step, Node core, string output, string? epilogue) =>
            step.Kind == StepKind.Separable
                ? DepthwiseCall.Separable(context, step, core, context.Node(step.Core[1]), output, epilogue)
                : ConvCall(context, step, (ConvOp)core.Op, core, output, epilogue);

        private static void WriteConv(CodeWriter w, EmitContext context, FusedStep step, ConvOp conv, Node core)
        {
            string output = Local.Of(context, step, core.Id);
            w.Line(ConvCall(context, step, conv, core, output, epilogue: null));
            if (conv.Bias)
            {
                w.Line("ChannelBias.Forward(" + output + ", " + context.Tensor(context.TensorOf(core.Id, "bias")) + ", n, " + core.Output.Channels + ", " + core.Output.Spatial + ");");
            }
        }

        /// <summary>The forward call of a convolution from the step's input x into <paramref name="output"/>, with an epilogue argument when not null.</summary>
        private static string ConvCall(EmitContext context, FusedStep step, ConvOp conv, Node core, string output, string? epilogue)
        {
            string weight = context.Tensor(context.TensorOf(core.Id, "weight"));
            string tail = (epilogue == null ? string.Empty : ", epilogue: " + epilogue) + ");";
            Shape inShape = context.Node(step.Input).Output;
            return KernelChoice.UsesPointwise(step, conv)
                ? "Pointwise.Forward(x, " + weight + ", " + output + ", n, " + inShape.Channels + ", " + conv.OutChannels + ", " + inShape.Spatial + tail
                : "Conv2d.Forward(x, " + weight + ", " + output + ", n, " + context.ShapeField(step) + ", reluInput: " + CodeWriter.Bool(step.ReluInput) + tail;
        }

        /// <summary>A batch norm's gamma, beta, running mean and running variance arguments.</summary>
        private static string BatchNormTensors(EmitContext context, int bn) =>
            context.Tensor(context.TensorOf(bn, "weight")) + ", " + context.Tensor(context.TensorOf(bn, "bias")) + ", "
            + context.Tensor(context.TensorOf(bn, "running_mean")) + ", " + context.Tensor(context.TensorOf(bn, "running_var"));

        /// <summary>The training-mode forward of a step's stored (not folded) batch norm, from its input into y.</summary>
        private static string TrainForward(EmitContext context, FusedStep step)
        {
            int bn = step.BatchNorm;
            var op = (BatchNormOp)context.Node(bn).Op;
            Shape shape = context.Node(bn).Output;
            string residual = step.HasResidual ? Local.Of(context, step, step.Residual) : "null";
            return "BatchNorm.TrainForward(" + Local.Of(context, step, step.NormInput) + ", y, " + BatchNormTensors(context, bn) + ", " + context.SavedMean(bn) + ", " + context.SavedInvStd(bn)
                + ", n, " + shape.Channels + ", " + shape.Spatial + ", " + CodeWriter.Literal(op.Epsilon) + ", " + CodeWriter.Literal(op.Momentum)
                + ", residual: " + residual + ", reluOutput: " + CodeWriter.Bool(step.ReluOutput) + ");";
        }

        private static void WriteBatchNorm(CodeWriter w, EmitContext context, FusedStep step)
        {
            int bn = step.BatchNorm;
            var op = (BatchNormOp)context.Node(bn).Op;
            Shape shape = context.Node(bn).Output;
            string input = Local.Of(context, step, step.NormInput);
            string tensors = BatchNormTensors(context, bn);
            string residual = step.HasResidual ? Local.Of(context, step, step.Residual) : "null";
            string relu = CodeWriter.Bool(step.ReluOutput);
            string sizes = "n, " + shape.Channels + ", " + shape.Spatial;
            if (step.FoldedOutput)
            {
                // The consumer applies the normalisation as it reads: only the statistics and its coefficients are needed.
                w.Line("if (training)");
                w.Line("    BatchNorm.TrainStatistics(" + input + ", " + tensors + ", " + context.SavedMean(bn) + ", " + context.SavedInvStd(bn) + ", " + context.SavedScale(bn) + ", " + context.SavedShift(bn) + ", " + sizes + ", " + CodeWriter.Literal(op.Epsilon) + ", " + CodeWriter.Literal(op.Momentum) + ");");
                w.Line("else");
                w.Line("    BatchNorm.EvalAffine(" + tensors + ", " + context.SavedScale(bn) + ", " + context.SavedShift(bn) + ", " + shape.Channels + ", " + CodeWriter.Literal(op.Epsilon) + ");");
                return;
            }

            w.Line("if (training)");
            w.Line("    " + TrainForward(context, step));
            w.Line("else");
            w.Line("    BatchNorm.EvalForward(" + input + ", y, " + tensors + ", " + sizes + ", " + CodeWriter.Literal(op.Epsilon) + ", residual: " + residual + ", reluOutput: " + relu + ");");
        }
    }
}
