using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Syntax.Model;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>The built-in ops: argument checks, module names, parameters and shape inference.</summary>
    internal sealed partial class ModelLowering
    {
        private int EvalOp(CallSyntax call, OpSignature signature, int input, Dictionary<string, Value> env, string? name, SourceSpan nameSpan)
        {
            BoundArguments? args = BindOpArguments(call, signature, env);
            if (name is not null && !ClaimName(name, nameSpan))
            {
                return NoNode;
            }

            if (args is null)
            {
                return NoNode;
            }

            bool hasParameters = call.Name is "conv" or "depthwise" or "separable" or "bn" or "dense";
            if (hasParameters && name is null)
            {
                sink.Report(DiagnosticDescriptors.UnnamedParameters, call.NameSpan, call.Name);
                return NoNode;
            }

            switch (call.Name)
            {
                case "conv": return Conv(call, args, input, name!);
                case "depthwise": return Depthwise(call, args, input, name!, name! + ".weight");
                case "separable": return Separable(call, args, input, name!);
                case "bn": return BatchNorm(call, args, input, name!);
                case "maxpool": return MaxPool(call, args, input, name);
                case "dropout": return Dropout(call, args, input, name);
                case "dense": return Dense(call, args, input, name!);
                case "relu": return input == NoNode ? NoNode : AddNode(new ReluOp(), new[] { input }, nodes[input].Output, name, new ParameterSpec[0], call.Span);
                default:
                    return input == NoNode ? NoNode : AddNode(new GlobalAvgPoolOp(), new[] { input }, new Shape(nodes[input].Output.Channels, 1, 1), name, new ParameterSpec[0], call.Span);
            }
        }

        private BoundArguments? BindOpArguments(CallSyntax call, OpSignature signature, Dictionary<string, Value> env)
        {
            Dictionary<string, Value>? values = MatchArguments(call, call.Name, signature.Positional, signature.All, signature.Describe(), env);
            return values is null ? null : new BoundArguments(call.Name, call.Span, sink, values);
        }

        private int Conv(CallSyntax call, BoundArguments args, int input, string name)
        {
            int? channels = args.Int("channels", null, 1, 65536);
            int? kernel = args.Int("k", 3, 1, 64);
            int? stride = args.Int("s", 1, 1, 64);
            PaddingSpec? pad = args.Padding("pad", PaddingSpec.Valid);
            bool? bias = args.Bool("bias", false);
            if (channels is null || kernel is null || stride is null || pad is null || bias is null || input == NoNode)
            {
                return NoNode;
            }

            Shape inShape = nodes[input].Output;
            if (!TryWindow(call, inShape, kernel.Value, stride.Value, pad.Value, channels.Value, out Shape outShape, out Padding padding))
            {
                return NoNode;
            }

            var parameters = new List<ParameterSpec>
            {
                Tensor(name + ".weight", ParameterRole.ConvWeight, channels.Value, inShape.Channels, kernel.Value, kernel.Value),
            };
            if (bias.Value)
            {
                parameters.Add(Tensor(name + ".bias", ParameterRole.Bias, channels.Value));
            }

            return AddNode(new ConvOp(channels.Value, kernel.Value, stride.Value, padding, bias.Value), new[] { input }, outShape, name, parameters.ToArray(), call.Span);
        }

        private int Depthwise(CallSyntax call, BoundArguments args, int input, string name, string weightName)
        {
            int? kernel = args.Int("k", 3, 1, 64);
            int? stride = args.Int("s", 1, 1, 64);
            PaddingSpec? pad = args.Padding("pad", PaddingSpec.Same);
            if (kernel is null || stride is null || pad is null || input == NoNode)
            {
                return NoNode;
            }

            Shape inShape = nodes[input].Output;
            if (!TryWindow(call, inShape, kernel.Value, stride.Value, pad.Value, inShape.Channels, out Shape outShape, out Padding padding))
            {
                return NoNode;
            }

            ParameterSpec weight = Tensor(weightName, ParameterRole.DepthwiseWeight, inShape.Channels, 1, kernel.Value, kernel.Value);
            return AddNode(new DepthwiseOp(kernel.Value, stride.Value, padding), new[] { input }, outShape, name, new[] { weight }, call.Span);
        }

        /// <summary>A separable conv is two nodes named like timm's SeparableConv2d: conv1 (depthwise) then pointwise.</summary>
        private int Separable(CallSyntax call, BoundArguments args, int input, string name)
        {
            int? channels = args.Int("channels", null, 1, 65536);
            int depthwise = Depthwise(call, args, input, name + ".conv1", name + ".conv1.weight");
            if (channels is null || depthwise == NoNode)
            {
                return NoNode;
            }

            Shape mid = nodes[depthwise].Output;
            ParameterSpec weight = Tensor(name + ".pointwise.weight", ParameterRole.ConvWeight, channels.Value, mid.Channels, 1, 1);
            var op = new ConvOp(channels.Value, 1, 1, default, false);
            return AddNode(op, new[] { depthwise }, new Shape(channels.Value, mid.Height, mid.Width), name + ".pointwise", new[] { weight }, call.Span);
        }

        private int BatchNorm(CallSyntax call, BoundArguments args, int input, string name)
        {
            float? epsilon = args.Float("eps", bnEpsilon, 1e-12, 1, maxExclusive: true);
            float? momentum = args.Float("momentum", bnMomentum, 0, 1);
            if (epsilon is null || momentum is null || input == NoNode)
            {
                return NoNode;
            }

            int channels = nodes[input].Output.Channels;
            var parameters = new[]
            {
                Tensor(name + ".weight", ParameterRole.NormWeight, channels),
                Tensor(name + ".bias", ParameterRole.NormBias, channels),
                Tensor(name + ".running_mean", ParameterRole.RunningMean, channels),
                Tensor(name + ".running_var", ParameterRole.RunningVariance, channels),
            };
            return AddNode(new BatchNormOp(epsilon.Value, momentum.Value), new[] { input }, nodes[input].Output, name, parameters, call.Span);
        }

        private int MaxPool(CallSyntax call, BoundArguments args, int input, string? name)
        {
            int? kernel = args.Int("k", 3, 1, 64);
            int? stride = kernel is null ? null : args.Int("s", kernel, 1, 64);
            PaddingSpec? pad = args.Padding("pad", PaddingSpec.Valid);
            if (kernel is null || stride is null || pad is null)
            {
                return NoNode;
            }

            if (pad.Value.Mode == PaddingMode.Explicit && pad.Value.Amount > kernel.Value / 2)
            {
                sink.Report(DiagnosticDescriptors.BadValue, args.SpanOf("pad"), "maxpool", "pad", pad.Value.Amount + ": padding may be at most half the kernel (" + (kernel.Value / 2) + ")");
                return NoNode;
            }

            if (input == NoNode)
            {
                return NoNode;
            }

            Shape inShape = nodes[input].Output;
            if (!TryWindow(call, inShape, kernel.Value, stride.Value, pad.Value, inShape.Channels, out Shape outShape, out Padding padding))
            {
                return NoNode;
            }

            return AddNode(new MaxPoolOp(kernel.Value, stride.Value, padding), new[] { input }, outShape, name, new ParameterSpec[0], call.Span);
        }

        private int Dropout(CallSyntax call, BoundArguments args, int input, string? name)
        {
            float? rate = args.Float("p", 0.5f, 0, 1, maxExclusive: true);
            return rate is null || input == NoNode
                ? NoNode
                : AddNode(new DropoutOp(rate.Value), new[] { input }, nodes[input].Output, name, new ParameterSpec[0], call.Span);
        }

        private int Dense(CallSyntax call, BoundArguments args, int input, string name)
        {
            int? units = args.Int("units", null, 1, 1 << 20);
            bool? bias = args.Bool("bias", true);
            if (units is null || bias is null || input == NoNode)
            {
                return NoNode;
            }

            Shape inShape = nodes[input].Output;
            if (inShape.Height != 1 || inShape.Width != 1)
            {
                sink.Report(DiagnosticDescriptors.DenseNeedsVector, call.Span, inShape.ToString());
                return NoNode;
            }

            var parameters = new List<ParameterSpec> { Tensor(name + ".weight", ParameterRole.DenseWeight, units.Value, inShape.Channels) };
            if (bias.Value)
            {
                parameters.Add(Tensor(name + ".bias", ParameterRole.Bias, units.Value));
            }

            return AddNode(new DenseOp(units.Value, bias.Value), new[] { input }, new Shape(units.Value, 1, 1), name, parameters.ToArray(), call.Span);
        }

        /// <summary><c>residual(a)</c> is a(x) + x; <c>residual(a, b)</c> is a(x) + b(x). Branches run in the order written.</summary>
        private int EvalResidual(CallSyntax call, int input, Dictionary<string, Value> env, Naming naming)
        {
            var branches = new List<ChainSyntax>();
            foreach (ArgumentSyntax argument in call.Arguments)
            {
                if (argument.Name is not null)
                {
                    sink.Report(DiagnosticDescriptors.UnknownArgument, argument.NameSpan, call.Name, argument.Name, "one or two branches of layers (write 'label: layers', not 'label = ...')");
                    return NoNode;
                }

                if (argument.Value is not ChainSyntax branch)
                {
                    sink.Report(DiagnosticDescriptors.BadValue, argument.Span, call.Name, "branch", "expected layers but found a value");
                    return NoNode;
                }

                branches.Add(branch);
            }

            if (branches.Count is < 1 or > 2)
            {
                sink.Report(DiagnosticDescriptors.ArgumentCount, call.Span, call.Name, "1 or 2", branches.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return NoNode;
            }

            int[] outputs = branches.Select(branch => EvalChain(branch, input, env, naming)).ToArray();
            if (input == NoNode || outputs.Contains(NoNode))
            {
                return NoNode;
            }

            int first = outputs[0];
            int second = outputs.Length == 2 ? outputs[1] : input;
            Shape a = nodes[first].Output;
            Shape b = nodes[second].Output;
            if (a != b)
            {
                sink.Report(DiagnosticDescriptors.ResidualShapeMismatch, call.NameSpan, a.ToString(), b.ToString());
                return NoNode;
            }

            return AddNode(new AddOp(), new[] { first, second }, a, null, new ParameterSpec[0], call.Span);
        }

        private bool TryWindow(CallSyntax call, Shape inShape, int kernel, int stride, PaddingSpec pad, int outChannels, out Shape outShape, out Padding padding)
        {
            if (!ShapeRules.TryResolve(pad, inShape.Height, inShape.Width, kernel, stride, out padding, out int height, out int width))
            {
                outShape = default;
                sink.Report(DiagnosticDescriptors.SpatialSizeExhausted, call.Span, call.Name, inShape.ToString(), outChannels + "x" + System.Math.Max(height, 0) + "x" + System.Math.Max(width, 0));
                return false;
            }

            outShape = new Shape(outChannels, height, width);
            return true;
        }

        private static ParameterSpec Tensor(string name, ParameterRole role, params int[] dimensions) =>
            new ParameterSpec(name, role, dimensions.ToEquatableArray());
    }
}
