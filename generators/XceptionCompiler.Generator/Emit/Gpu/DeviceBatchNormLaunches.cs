using System.Collections.Generic;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;
using static XceptionCompiler.Generator.Emit.Gpu.DeviceStepLaunches;

namespace XceptionCompiler.Generator.Emit.Gpu
{
    /// <summary>The passes of a step's batch norm on the GPU (statistics, apply; folded or not; backward), as the CPU's BatchNorm calls.</summary>
    internal static class DeviceBatchNormLaunches
    {
        private const string Empty = "ArrayView<float>.Empty";

        public static void Forward(List<DeviceLaunch> launches, EmitContext context, FusedStep step)
        {
            int bn = step.BatchNorm;
            var op = (BatchNormOp)context.Node(bn).Op;
            Shape shape = context.Node(bn).Output;
            string input = Local.Of(context, step, step.NormInput);
            string sizes = Sizes(shape.Channels, shape.Spatial);
            string eps = CodeWriter.Literal(op.Epsilon);
            string residual = step.HasResidual ? Local.Of(context, step, step.Residual) : Empty;
            string epilogue = "hasResidual: " + CodeWriter.Bool(step.HasResidual) + ", reluOutput: " + CodeWriter.Bool(step.ReluOutput);
            launches.Add(new DeviceLaunch("GpuBatchNorm", "Statistics",
                Views(("x", input), ("gamma", Tensor(context, bn, "weight")), ("beta", Tensor(context, bn, "bias")), ("runningMean", Tensor(context, bn, "running_mean")), ("runningVar", Tensor(context, bn, "running_var")),
                    ("savedMean", context.DeviceSaved(bn, 0)), ("savedInvStd", context.DeviceSaved(bn, 1)),
                    ("scale", step.FoldedOutput ? context.DeviceSaved(bn, 2) : Empty), ("shift", step.FoldedOutput ? context.DeviceSaved(bn, 3) : Empty)),
                sizes, eps + ", " + CodeWriter.Literal(op.Momentum) + ", writeAffine: " + CodeWriter.Bool(step.FoldedOutput), "training"));
            if (step.FoldedOutput)
            {
                // The consumer applies the normalisation as it reads: only the statistics and its coefficients are needed.
                launches.Add(new DeviceLaunch("GpuBatchNorm", "EvalAffine",
                    Views(("gamma", Tensor(context, bn, "weight")), ("beta", Tensor(context, bn, "bias")), ("runningMean", Tensor(context, bn, "running_mean")), ("runningVar", Tensor(context, bn, "running_var")),
                        ("scale", context.DeviceSaved(bn, 2)), ("shift", context.DeviceSaved(bn, 3))),
                    Sizes(shape.Channels), eps, "!training"));
                return;
            }

            launches.Add(new DeviceLaunch("GpuBatchNorm", "Apply",
                Views(("x", input), ("residual", residual), ("mean", context.DeviceSaved(bn, 0)), ("invStd", context.DeviceSaved(bn, 1)), ("gamma", Tensor(context, bn, "weight")), ("beta", Tensor(context, bn, "bias")), ("y", "y")),
                sizes, epilogue, "training"));
            launches.Add(new DeviceLaunch("GpuBatchNorm", "EvalForward",
                Views(("x", input), ("residual", residual), ("gamma", Tensor(context, bn, "weight")), ("beta", Tensor(context, bn, "bias")), ("runningMean", Tensor(context, bn, "running_mean")), ("runningVar", Tensor(context, bn, "running_var")), ("y", "y")),
                sizes, eps + ", " + epilogue, "!training"));
        }

        public static void Backward(List<DeviceLaunch> launches, EmitContext context, FusedStep step, GradientFlags flags)
        {
            int bn = step.BatchNorm;
            Shape shape = context.Node(bn).Output;
            string input = Local.Of(context, step, step.NormInput);
            string dInput = Local.Of(context, step, step.NormInput, gradient: true);
            // A fused batch norm's input is the step's private intermediate (overwritten); a standalone one follows the flags.
            bool accumulateInput = step.Kind == StepKind.BatchNorm && flags.AccumulateInput;
            string y = step.ReluOutput ? "y" : Empty; // y is read only for the ReLU mask
            string sizes = Sizes(shape.Channels, shape.Spatial);
            launches.Add(new DeviceLaunch("GpuBatchNorm", "BackwardReduce",
                Views(("dy", "dy"), ("y", y), ("x", input), ("mean", context.DeviceSaved(bn, 0)), ("invStd", context.DeviceSaved(bn, 1)),
                    ("dGamma", context.DeviceTensorGradient(context.TensorOf(bn, "weight"))), ("dBeta", context.DeviceTensorGradient(context.TensorOf(bn, "bias"))), ("sums", "BatchNormSums(" + shape.Channels + ")")),
                sizes, "reluOutput: " + CodeWriter.Bool(step.ReluOutput)));
            launches.Add(new DeviceLaunch("GpuBatchNorm", "BackwardApply",
                Views(("dy", "dy"), ("y", y), ("x", input), ("gamma", Tensor(context, bn, "weight")), ("mean", context.DeviceSaved(bn, 0)), ("invStd", context.DeviceSaved(bn, 1)), ("sums", "BatchNormSums(" + shape.Channels + ")"),
                    ("dx", dInput), ("dResidual", step.HasResidual ? Local.Of(context, step, step.Residual, gradient: true) : Empty)),
                sizes, "reluOutput: " + CodeWriter.Bool(step.ReluOutput) + ", hasResidual: " + CodeWriter.Bool(step.HasResidual) + ", accumulateResidual: " + CodeWriter.Bool(flags.AccumulateResidual) + ", accumulateInput: " + CodeWriter.Bool(accumulateInput)));
        }

        private static string Tensor(EmitContext context, int node, string suffix) => context.DeviceTensor(context.TensorOf(node, suffix));
    }
}
