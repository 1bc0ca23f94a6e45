using System.Collections.Generic;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;
using static XceptionCompiler.Generator.Emit.Gpu.DeviceStepLaunches;

namespace XceptionCompiler.Generator.Emit.Gpu
{
    /// <summary>
    /// The passes of a step's batch norm on the GPU, as the CPU's BatchNorm calls: training forward = statistics in
    /// parts, their combination (running update, saved mean and 1/std, scale and shift), apply; evaluation = scale and
    /// shift from the running statistics, apply; backward = partial sums, per-channel coefficients, apply. A folded
    /// batch norm stops after its scale and shift, which its consumer's prologue reads from the saved buffer.
    /// </summary>
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
            // A folded batch norm's scale and shift are saved for its consumer; otherwise they live only until Apply.
            string scale = step.FoldedOutput ? context.DeviceSaved(bn, 2) : "BatchNormScale(" + shape.Channels + ")";
            string shift = step.FoldedOutput ? context.DeviceSaved(bn, 3) : "BatchNormShift(" + shape.Channels + ")";
            string partials = Partials(shape);
            launches.Add(new DeviceLaunch("GpuBatchNorm", "StatisticsPartials", Views(("x", input), ("partials", partials)), sizes, string.Empty, "training"));
            launches.Add(new DeviceLaunch("GpuBatchNorm", "Statistics",
                Views(("partials", partials), ("gamma", Tensor(context, bn, "weight")), ("beta", Tensor(context, bn, "bias")), ("runningMean", Tensor(context, bn, "running_mean")), ("runningVar", Tensor(context, bn, "running_var")),
                    ("savedMean", context.DeviceSaved(bn, 0)), ("savedInvStd", context.DeviceSaved(bn, 1)), ("scale", scale), ("shift", shift)),
                sizes, eps + ", " + CodeWriter.Literal(op.Momentum), "training"));
            launches.Add(new DeviceLaunch("GpuBatchNorm", "EvalAffine",
                Views(("gamma", Tensor(context, bn, "weight")), ("beta", Tensor(context, bn, "bias")), ("runningMean", Tensor(context, bn, "running_mean")), ("runningVar", Tensor(context, bn, "running_var")), ("scale", scale), ("shift", shift)),
                Sizes(shape.Channels), eps, "!training", Batched: false));
            if (step.FoldedOutput)
            {
                return; // the consumer applies the normalisation as it reads
            }

            launches.Add(new DeviceLaunch("GpuBatchNorm", "Apply",
                Views(("x", input), ("scale", scale), ("shift", shift), ("residual", step.HasResidual ? Local.Of(context, step, step.Residual) : Empty), ("y", "y")),
                sizes, "addResidual: " + CodeWriter.Bool(step.HasResidual) + ", reluOutput: " + CodeWriter.Bool(step.ReluOutput)));
        }

        public static void Backward(List<DeviceLaunch> launches, EmitContext context, FusedStep step, GradientFlags flags)
        {
            int bn = step.BatchNorm;
            Shape shape = context.Node(bn).Output;
            string input = Local.Of(context, step, step.NormInput);
            // A fused batch norm's input is the step's private intermediate (overwritten); a standalone one follows the flags.
            bool accumulateInput = step.Kind == StepKind.BatchNorm && flags.AccumulateInput;
            string y = step.ReluOutput ? "y" : Empty; // y is read only for the ReLU mask
            string relu = "reluOutput: " + CodeWriter.Bool(step.ReluOutput);
            string sizes = Sizes(shape.Channels, shape.Spatial);
            string coefficients = "BatchNormCoefficients(" + shape.Channels + ")";
            launches.Add(new DeviceLaunch("GpuBatchNorm", "BackwardPartials",
                Views(("dy", "dy"), ("y", y), ("x", input), ("savedMean", context.DeviceSaved(bn, 0)), ("partials", Partials(shape))),
                sizes, relu, Config: "StatisticsPartialsConfig"));
            launches.Add(new DeviceLaunch("GpuBatchNorm", "BackwardSums",
                Views(("partials", Partials(shape)), ("gamma", Tensor(context, bn, "weight")), ("savedInvStd", context.DeviceSaved(bn, 1)),
                    ("dGamma", context.DeviceTensorGradient(context.TensorOf(bn, "weight"))), ("dBeta", context.DeviceTensorGradient(context.TensorOf(bn, "bias"))), ("coefficients", coefficients)),
                sizes, string.Empty));
            launches.Add(new DeviceLaunch("GpuBatchNorm", "BackwardApply",
                Views(("dy", "dy"), ("y", y), ("x", input), ("savedMean", context.DeviceSaved(bn, 0)), ("coefficients", coefficients),
                    ("dx", Local.Of(context, step, step.NormInput, gradient: true)), ("dResidual", step.HasResidual ? Local.Of(context, step, step.Residual, gradient: true) : Empty)),
                sizes, relu + ", writeResidual: " + CodeWriter.Bool(step.HasResidual) + ", accumulateResidual: " + CodeWriter.Bool(flags.AccumulateResidual) + ", accumulateInput: " + CodeWriter.Bool(accumulateInput)));
        }

        private static string Partials(Shape shape) => "BatchNormPartials(" + shape.Channels + ", " + shape.Spatial + ")";

        private static string Tensor(EmitContext context, int node, string suffix) => context.DeviceTensor(context.TensorOf(node, suffix));
    }
}
