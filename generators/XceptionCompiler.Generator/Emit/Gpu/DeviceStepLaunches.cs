using System.Collections.Generic;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit.Gpu
{
    /// <summary>
    /// The kernel launches of each fused step on the GPU, forward and backward: the same operations, buffers and order
    /// as the CPU code that ForwardEmitter and BackwardEmitter write, each CPU kernel call replaced by the passes of its
    /// device function. Buffer locals (x, t0, y, dy...) are the ones StepComments declares.
    /// </summary>
    internal static class DeviceStepLaunches
    {
        private const string Empty = "ArrayView<float>.Empty";

        public static List<DeviceLaunch> Forward(EmitContext context, FusedStep step)
        {
            var launches = new List<DeviceLaunch>();
            Node core = context.Node(step.Core.Count > 0 ? step.Core[0] : step.Output);
            switch (step.Kind)
            {
                case StepKind.Conv:
                    ConvForward(launches, context, step, (ConvOp)core.Op, core);
                    break;
                case StepKind.Separable:
                    Node pointwise = context.Node(step.Core[1]);
                    launches.Add(DepthwiseForward(context, step, core));
                    launches.Add(new DeviceLaunch("GpuPointwise", "Forward",
                        Views(("x", Local.Of(context, step, core.Id)), ("weight", Weight(context, pointwise.Id)), ("y", Local.Of(context, step, pointwise.Id))),
                        Sizes(core.Output.Channels, pointwise.Output.Channels, core.Output.Spatial), string.Empty));
                    break;
                case StepKind.Depthwise:
                    launches.Add(DepthwiseForward(context, step, core));
                    break;
                case StepKind.MaxPool:
                    launches.Add(new DeviceLaunch("GpuMaxPool", "Forward",
                        Views(("x", "x"), ("residual", step.HasResidual ? Local.Of(context, step, step.Residual) : Empty), ("y", "y")),
                        Shape(context, step), "hasResidual: " + CodeWriter.Bool(step.HasResidual)));
                    break;
                case StepKind.GlobalAvgPool:
                    Shape pooled = context.Node(step.Input).Output;
                    launches.Add(new DeviceLaunch("GpuGlobalAvgPool", "Forward", Views(("x", "x"), ("y", "y")), Sizes(pooled.Channels, pooled.Spatial), string.Empty));
                    break;
                case StepKind.Dropout:
                    var dropout = (DropoutOp)core.Op;
                    launches.Add(new DeviceLaunch("GpuDropout", "Forward", Views(("x", "x"), ("y", "y")), PerImage(context, step.Output),
                        CodeWriter.Literal(dropout.Rate) + ", seed", "training && DropoutEnabled", DropoutSeed(core)));
                    launches.Add(Copy(context, step.Output, "x", "y", accumulate: false, "!(training && DropoutEnabled)"));
                    break;
                case StepKind.Dense:
                    var dense = (DenseOp)core.Op;
                    launches.Add(new DeviceLaunch("GpuDense", "Forward",
                        Views(("x", "x"), ("weight", Weight(context, core.Id)), ("bias", dense.Bias ? context.DeviceTensor(context.TensorOf(core.Id, "bias")) : Empty), ("y", "y")),
                        Sizes(context.Node(step.Input).Output.Channels, dense.Units), "hasBias: " + CodeWriter.Bool(dense.Bias)));
                    break;
                case StepKind.Relu:
                    launches.Add(new DeviceLaunch("GpuActivation", "ReluForward", Views(("x", "x"), ("y", "y")), PerImage(context, step.Output), string.Empty));
                    break;
                case StepKind.Add:
                    launches.Add(new DeviceLaunch("GpuElementwise", "Add", Views(("a", "x"), ("b", Local.Of(context, step, step.Residual)), ("y", "y")), PerImage(context, step.Output), string.Empty));
                    break;
            }

            if (step.HasBatchNorm)
            {
                DeviceBatchNormLaunches.Forward(launches, context, step);
            }

            return launches;
        }

        public static List<DeviceLaunch> Backward(EmitContext context, FusedStep step, GradientFlags flags, bool guarded)
        {
            var launches = new List<DeviceLaunch>();
            string? guard = guarded ? "inputGradient" : null;
            bool accumulate = flags.AccumulateInput;
            Node core = context.Node(step.Core.Count > 0 ? step.Core[0] : step.Output);
            if (step.HasBatchNorm)
            {
                // Never guarded: it also produces the scale and shift gradients.
                DeviceBatchNormLaunches.Backward(launches, context, step, flags);
            }

            switch (step.Kind)
            {
                case StepKind.Conv:
                    ConvBackward(launches, context, step, (ConvOp)core.Op, core, guard, accumulate);
                    break;
                case StepKind.Separable:
                    Node pointwise = context.Node(step.Core[1]);
                    string dPointwise = Local.Of(context, step, pointwise.Id, gradient: true);
                    string depthwiseOut = Local.Of(context, step, core.Id);
                    string dDepthwise = Local.Of(context, step, core.Id, gradient: true);
                    string sizes = Sizes(core.Output.Channels, pointwise.Output.Channels, core.Output.Spatial);
                    // The forward pass did not keep the depthwise output: redo it where its gradient goes next.
                    launches.Add(DepthwiseForward(context, step, core));
                    launches.Add(new DeviceLaunch("GpuPointwise", "BackwardWeights",
                        Views(("dy", dPointwise), ("x", depthwiseOut), ("dWeight", WeightGradient(context, pointwise.Id))), sizes, string.Empty));
                    launches.Add(new DeviceLaunch("GpuPointwise", "BackwardData",
                        Views(("dy", dPointwise), ("weight", Weight(context, pointwise.Id)), ("dx", dDepthwise)), sizes, "accumulate: false"));
                    DepthwiseBackward(launches, context, step, core, dDepthwise, guard, accumulate);
                    break;
                case StepKind.Depthwise:
                    DepthwiseBackward(launches, context, step, core, Local.Of(context, step, core.Id, gradient: true), guard, accumulate);
                    break;
                case StepKind.MaxPool:
                    if (step.HasResidual)
                    {
                        launches.Add(Copy(context, step.Output, "dy", Local.Of(context, step, step.Residual, gradient: true), flags.AccumulateResidual, null));
                    }

                    launches.Add(new DeviceLaunch("GpuMaxPool", "Backward", Views(("dy", "dy"), ("x", "x"), ("dx", "dx")), Shape(context, step), Accumulate(accumulate), guard));
                    break;
                case StepKind.GlobalAvgPool:
                    Shape pooled = context.Node(step.Input).Output;
                    launches.Add(new DeviceLaunch("GpuGlobalAvgPool", "Backward", Views(("dy", "dy"), ("dx", "dx")), Sizes(pooled.Channels, pooled.Spatial), Accumulate(accumulate), guard));
                    break;
                case StepKind.Dropout:
                    var dropout = (DropoutOp)core.Op;
                    launches.Add(new DeviceLaunch("GpuDropout", "Backward", Views(("dy", "dy"), ("dx", "dx")), PerImage(context, step.Output),
                        CodeWriter.Literal(dropout.Rate) + ", seed, " + Accumulate(accumulate), Both(guard, "DropoutEnabled"), DropoutSeed(core)));
                    launches.Add(Copy(context, step.Output, "dy", "dx", accumulate, Both(guard, "!DropoutEnabled")));
                    break;
                case StepKind.Dense:
                    var dense = (DenseOp)core.Op;
                    string units = Sizes(context.Node(step.Input).Output.Channels, dense.Units);
                    launches.Add(new DeviceLaunch("GpuDense", "BackwardParameters",
                        Views(("dy", "dy"), ("x", "x"), ("dWeight", WeightGradient(context, core.Id)), ("dBias", dense.Bias ? context.DeviceTensorGradient(context.TensorOf(core.Id, "bias")) : Empty)),
                        units, "hasBias: " + CodeWriter.Bool(dense.Bias)));
                    launches.Add(new DeviceLaunch("GpuDense", "BackwardData", Views(("dy", "dy"), ("weight", Weight(context, core.Id)), ("dx", "dx")), units, Accumulate(accumulate), guard));
                    break;
                case StepKind.Relu:
                    launches.Add(new DeviceLaunch("GpuActivation", "ReluBackward", Views(("dy", "dy"), ("y", "y"), ("dx", "dx")), PerImage(context, step.Output), Accumulate(accumulate), guard));
                    break;
                case StepKind.Add:
                    launches.Add(Copy(context, step.Output, "dy", Local.Of(context, step, step.Residual, gradient: true), flags.AccumulateResidual, null));
                    launches.Add(Copy(context, step.Output, "dy", "dx", accumulate, guard));
                    break;
            }

            return launches;
        }

        private static void ConvForward(List<DeviceLaunch> launches, EmitContext context, FusedStep step, ConvOp conv, Node core)
        {
            string output = Local.Of(context, step, core.Id);
            Shape inShape = context.Node(step.Input).Output;
            launches.Add(KernelChoice.UsesPointwise(step, conv)
                ? new DeviceLaunch("GpuPointwise", "Forward", Views(("x", "x"), ("weight", Weight(context, core.Id)), ("y", output)), Sizes(inShape.Channels, conv.OutChannels, inShape.Spatial), string.Empty)
                : new DeviceLaunch("GpuConv", "Forward", Views(("x", "x"), ("weight", Weight(context, core.Id)), ("y", output)), Shape(context, step), "reluInput: " + CodeWriter.Bool(step.ReluInput)));
            if (conv.Bias)
            {
                launches.Add(new DeviceLaunch("GpuChannelBias", "Forward", Views(("y", output), ("bias", context.DeviceTensor(context.TensorOf(core.Id, "bias")))), Sizes(core.Output.Channels, core.Output.Spatial), string.Empty));
            }
        }

        private static void ConvBackward(List<DeviceLaunch> launches, EmitContext context, FusedStep step, ConvOp conv, Node core, string? guard, bool accumulate)
        {
            string dOutput = Local.Of(context, step, core.Id, gradient: true);
            if (conv.Bias)
            {
                launches.Add(new DeviceLaunch("GpuChannelBias", "Backward", Views(("dy", dOutput), ("dBias", context.DeviceTensorGradient(context.TensorOf(core.Id, "bias")))), Sizes(core.Output.Channels, core.Output.Spatial), string.Empty));
            }

            if (KernelChoice.UsesPointwise(step, conv))
            {
                string sizes = Sizes(context.Node(step.Input).Output.Channels, conv.OutChannels, core.Output.Spatial);
                launches.Add(new DeviceLaunch("GpuPointwise", "BackwardWeights", Views(("dy", dOutput), ("x", "x"), ("dWeight", WeightGradient(context, core.Id))), sizes, string.Empty));
                launches.Add(new DeviceLaunch("GpuPointwise", "BackwardData", Views(("dy", dOutput), ("weight", Weight(context, core.Id)), ("dx", "dx")), sizes, Accumulate(accumulate), guard));
                return;
            }

            string shape = Shape(context, step);
            string relu = "reluInput: " + CodeWriter.Bool(step.ReluInput);
            launches.Add(new DeviceLaunch("GpuConv", "BackwardWeights", Views(("dy", dOutput), ("x", "x"), ("dWeight", WeightGradient(context, core.Id))), shape, relu));
            launches.Add(new DeviceLaunch("GpuConv", "BackwardData", Views(("dy", dOutput), ("weight", Weight(context, core.Id)), ("x", "x"), ("dx", "dx")), shape, relu + ", " + Accumulate(accumulate), guard));
        }

        /// <summary>The depthwise forward from the step's input x, with its prologue (folded batch norm, ReLU); forward and the separable backward's recompute.</summary>
        private static DeviceLaunch DepthwiseForward(EmitContext context, FusedStep step, Node depthwise) =>
            new DeviceLaunch("GpuDepthwise", "Forward", DepthwiseViews(context, step, ("x", "x"), ("weight", Weight(context, depthwise.Id)), ("y", Local.Of(context, step, depthwise.Id))),
                Shape(context, step), DepthwiseFlags(step));

        private static void DepthwiseBackward(List<DeviceLaunch> launches, EmitContext context, FusedStep step, Node core, string dOutput, string? guard, bool accumulate)
        {
            launches.Add(new DeviceLaunch("GpuDepthwise", "BackwardWeights", DepthwiseViews(context, step, ("dy", dOutput), ("x", "x"), ("dWeight", WeightGradient(context, core.Id))),
                Shape(context, step), DepthwiseFlags(step)));
            launches.Add(new DeviceLaunch("GpuDepthwise", "BackwardData", DepthwiseViews(context, step, ("dy", dOutput), ("weight", Weight(context, core.Id)), ("x", "x"), ("dx", "dx")),
                Shape(context, step), DepthwiseFlags(step) + ", " + Accumulate(accumulate), guard));
        }

        /// <summary>A depthwise pass's views: the scale and shift of a folded input batch norm go before its output (empty without one).</summary>
        private static IReadOnlyList<DeviceView> DepthwiseViews(EmitContext context, FusedStep step, params (string Parameter, string Argument)[] views)
        {
            var list = new List<DeviceView>();
            for (int i = 0; i < views.Length; i++)
            {
                if (i == views.Length - 1)
                {
                    list.Add(new DeviceView("scale", step.HasInputNorm ? context.DeviceSaved(step.InputNorm, 2) : Empty));
                    list.Add(new DeviceView("shift", step.HasInputNorm ? context.DeviceSaved(step.InputNorm, 3) : Empty));
                }

                list.Add(new DeviceView(views[i].Parameter, views[i].Argument));
            }

            return list;
        }

        private static string DepthwiseFlags(FusedStep step) => "reluInput: " + CodeWriter.Bool(step.ReluInput) + ", prologue: " + CodeWriter.Bool(step.HasInputNorm);

        private static DeviceLaunch Copy(EmitContext context, int value, string source, string destination, bool accumulate, string? condition) =>
            new DeviceLaunch("GpuElementwise", "Copy", Views(("source", source), ("destination", destination)), PerImage(context, value), Accumulate(accumulate), condition);

        internal static IReadOnlyList<DeviceView> Views(params (string Parameter, string Argument)[] views)
        {
            var list = new List<DeviceView>();
            foreach ((string parameter, string argument) in views)
            {
                list.Add(new DeviceView(parameter, argument));
            }

            return list;
        }

        internal static string Sizes(params long[] sizes) => string.Join(", ", sizes);

        internal static string Accumulate(bool accumulate) => "accumulate: " + CodeWriter.Bool(accumulate);

        private static string Shape(EmitContext context, FusedStep step) => ShapeConstructor.Of(context, step)!.Value.Expression;

        private static string PerImage(EmitContext context, int value) => CodeWriter.Literal(context.Node(value).Output.Size) + "L";

        private static string Weight(EmitContext context, int node) => context.DeviceTensor(context.TensorOf(node, "weight"));

        private static string WeightGradient(EmitContext context, int node) => context.DeviceTensorGradient(context.TensorOf(node, "weight"));

        private static string DropoutSeed(Node dropout) => "StepSeed.For(DropoutSeed, Step, " + dropout.Id + ")";

        private static string? Both(string? first, string second) => first is null ? second : first + " && " + second;
    }
}
