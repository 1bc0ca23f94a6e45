using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Diagnostics;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Syntax.Model;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>
    /// Lowers a parsed model file to the graph IR: expands blocks, repetitions and conditions, gives every
    /// op its module path, and infers every shape. Each problem is a diagnostic at its place in the file;
    /// after an error the affected chain is "poisoned" (node id -1) so one mistake gives one diagnostic.
    /// </summary>
    internal sealed partial class ModelLowering
    {
        public const int MaxNodes = 20000;

        /// <summary>
        /// How deep chains may nest, counting block bodies, lists, groups and residual branches. Lowering recurses once per
        /// level, so this keeps a long chain of blocks calling blocks from overflowing the compiler's stack.
        /// </summary>
        public const int MaxDepth = 256;

        /// <summary>
        /// How many chain items lowering may evaluate. Items skipped by a false condition add no layer, so the layer cap
        /// alone would let <c>(((x if f) * 1000) * 1000) * 1000</c> run for hours.
        /// </summary>
        public const int MaxSteps = 50 * MaxNodes;

        private const int NoNode = -1;

        private readonly DiagnosticSink sink;
        private readonly Dictionary<string, BlockStatement> blocks = new Dictionary<string, BlockStatement>();
        private readonly HashSet<string> blocksDeclaredTwice = new HashSet<string>();
        private readonly Dictionary<string, SourceSpan> names = new Dictionary<string, SourceSpan>();
        private readonly List<Node> nodes = new List<Node>();
        private readonly List<string> callStack = new List<string>();
        private int depth;
        private int steps;
        private float bnEpsilon = 1e-5f;
        private float bnMomentum = 0.1f;

        private ModelLowering(string filePath) => sink = new DiagnosticSink(filePath);

        public static Result<NetworkGraph> Lower(ModelSyntax model)
        {
            var lowering = new ModelLowering(model.FilePath);
            NetworkGraph? graph;
            try
            {
                graph = lowering.LowerModel(model);
            }
            catch (TooLargeException limit)
            {
                lowering.sink.Report(DiagnosticDescriptors.NetworkTooLarge, limit.Span, limit.Message);
                graph = null;
            }

            return new Result<NetworkGraph>(lowering.sink.HasErrors ? null : graph, lowering.sink.ToEquatableArray());
        }

        private NetworkGraph? LowerModel(ModelSyntax model)
        {
            if (model.Statements.Count == 0)
            {
                // An empty (or comment-only) file is one mistake: say what its first line should be.
                sink.Report(DiagnosticDescriptors.MissingNetwork, SourceSpan.None);
                return null;
            }

            NetworkStatement? network = null;
            InputStatement? input = null;
            foreach (StatementSyntax statement in model.Statements)
            {
                switch (statement)
                {
                    case NetworkStatement n when network is null:
                        network = n;
                        break;
                    case NetworkStatement n:
                        sink.Report(DiagnosticDescriptors.DuplicateName, n.Span, "network", "first at line " + network.Span.DisplayLine);
                        break;
                    case InputStatement i when input is null:
                        input = i;
                        break;
                    case InputStatement i:
                        sink.Report(DiagnosticDescriptors.DuplicateName, i.Span, "input", "first at line " + input.Span.DisplayLine);
                        break;
                    case OptionStatement option:
                        ApplyOption(option);
                        break;
                    case BlockStatement block:
                        DeclareBlock(block);
                        break;
                }
            }

            string? networkName = CheckNetwork(network);
            int current = DeclareInput(input);
            bool anyLayer = false;
            foreach (LayerStatement layer in model.Statements.OfType<LayerStatement>())
            {
                anyLayer = true;
                current = EvalChain(layer.Chain, current, new Dictionary<string, Value>(), Naming.Root);
            }

            if (!anyLayer && network is not null)
            {
                sink.Report(DiagnosticDescriptors.EmptyNetwork, network.NameSpan, network.Name);
            }

            return networkName is null || current == NoNode || sink.HasErrors
                ? null
                : new NetworkGraph(networkName, model.FilePath, nodes.ToEquatableArray());
        }

        private string? CheckNetwork(NetworkStatement? network)
        {
            if (network is null)
            {
                sink.Report(DiagnosticDescriptors.MissingNetwork, SourceSpan.None);
                return null;
            }

            string? problem = SyntaxFacts.GetKeywordKind(network.Name) != SyntaxKind.None ? "it is a C# keyword"
                : !char.IsUpper(network.Name[0]) ? "a network class name starts with an upper-case letter"
                : null;
            if (problem is not null)
            {
                sink.Report(DiagnosticDescriptors.InvalidNetworkName, network.NameSpan, network.Name, problem);
                return null;
            }

            return network.Name;
        }

        private int DeclareInput(InputStatement? input)
        {
            if (input is null)
            {
                sink.Report(DiagnosticDescriptors.MissingInput, SourceSpan.None);
                return NoNode;
            }

            if (input.Dimensions.Count != 3)
            {
                sink.Report(DiagnosticDescriptors.BadValue, input.Span, "input", "shape", "expected channels x height x width, three numbers");
                return NoNode;
            }

            var sizes = new int[3];
            for (int i = 0; i < 3; i++)
            {
                NumberSyntax dimension = input.Dimensions[i];
                if (!dimension.IsInteger || dimension.Value < 1 || dimension.Value > 1 << 16)
                {
                    sink.Report(DiagnosticDescriptors.BadValue, dimension.Span, "input", "shape", "'" + dimension.Text + "' is not a whole number from 1 to 65536");
                    return NoNode;
                }

                sizes[i] = (int)dimension.Value;
            }

            return AddNode(new InputOp(), new int[0], new Shape(sizes[0], sizes[1], sizes[2]), null, new ParameterSpec[0], input.Span);
        }

        private void ApplyOption(OptionStatement option)
        {
            var value = option.Value as NumberSyntax;
            switch (option.Name)
            {
                case "bn_eps" when value is not null && value.Value > 0 && value.Value < 1:
                    bnEpsilon = (float)value.Value;
                    break;
                case "bn_momentum" when value is not null && value.Value >= 0 && value.Value <= 1:
                    bnMomentum = (float)value.Value;
                    break;
                case "bn_eps":
                case "bn_momentum":
                    sink.Report(DiagnosticDescriptors.BadValue, option.Value.Span, "option", option.Name, option.Name == "bn_eps" ? "expected a number between 0 and 1" : "expected a number from 0 to 1");
                    break;
                default:
                    sink.Report(DiagnosticDescriptors.UnknownOption, option.NameSpan, option.Name, "bn_eps, bn_momentum");
                    break;
            }
        }

        private void DeclareBlock(BlockStatement block)
        {
            if (OpSignatures.TryGet(block.Name, out _))
            {
                sink.Report(DiagnosticDescriptors.DuplicateName, block.NameSpan, block.Name, "it is a built-in op");
                return;
            }

            if (blocks.TryGetValue(block.Name, out BlockStatement first))
            {
                sink.Report(DiagnosticDescriptors.DuplicateName, block.NameSpan, block.Name, "first at line " + first.Span.DisplayLine);
                blocksDeclaredTwice.Add(block.Name);
                return;
            }

            var seen = new Dictionary<string, SourceSpan>();
            foreach (BlockParameterSyntax parameter in block.Parameters)
            {
                if (seen.TryGetValue(parameter.Name, out SourceSpan previous))
                {
                    sink.Report(DiagnosticDescriptors.DuplicateName, parameter.Span, parameter.Name, "first at line " + previous.DisplayLine);
                }
                else
                {
                    seen.Add(parameter.Name, parameter.Span);
                }
            }

            blocks.Add(block.Name, block);
        }

        private int EvalChain(ChainSyntax chain, int input, Dictionary<string, Value> env, Naming naming)
        {
            if (depth == MaxDepth)
            {
                throw new TooLargeException("blocks, lists and groups nest more than " + MaxDepth + " deep", chain.Span);
            }

            depth++;
            try
            {
                foreach (ItemSyntax item in chain.Items)
                {
                    input = EvalItem(item, input, env, naming);
                }

                return input;
            }
            finally
            {
                depth--;
            }
        }

        private int EvalItem(ItemSyntax item, int input, Dictionary<string, Value> env, Naming naming)
        {
            if (++steps > MaxSteps)
            {
                throw new TooLargeException("expanding it takes more than " + MaxSteps + " steps", item.Span);
            }

            if (item.Condition is ConditionSyntax condition && !IsConditionTrue(condition, env))
            {
                return input;
            }

            if (item.Label is { Last: not null } range)
            {
                if (item.Repeat is not null)
                {
                    sink.Report(DiagnosticDescriptors.BadLabelRange, item.Repeat.Span, range.Text, "a label range already repeats the item; drop the '* n'");
                    return NoNode;
                }

                List<string>? labels = ExpandRange(range);
                if (labels is null)
                {
                    return NoNode;
                }

                foreach (string label in labels)
                {
                    input = EvalPrimary(item.Primary, input, env, naming, label, range.Span);
                }

                return input;
            }

            int count = 1;
            if (item.Repeat is NumberSyntax repeat)
            {
                if (!repeat.IsInteger || repeat.Value < 1 || repeat.Value > 1000)
                {
                    sink.Report(DiagnosticDescriptors.BadValue, repeat.Span, "*", "repeat count", "'" + repeat.Text + "': expected a whole number from 1 to 1000");
                    return NoNode;
                }

                count = (int)repeat.Value;
                if (count > 1 && item.Label is not null)
                {
                    sink.Report(DiagnosticDescriptors.BadLabelRange, item.Label.Span, item.Label.Text, "one label cannot name " + count + " repeated items; use a range such as " + item.Label.First + "1.." + item.Label.First + count);
                    return NoNode;
                }
            }

            for (int i = 0; i < count; i++)
            {
                input = EvalPrimary(item.Primary, input, env, naming, item.Label?.First, item.Label?.Span ?? item.Span);
            }

            return input;
        }

        private bool IsConditionTrue(ConditionSyntax condition, Dictionary<string, Value> env)
        {
            if (env.TryGetValue(condition.Flag, out Value value) && value is BoolValue flag)
            {
                return flag.Flag != condition.Negated;
            }

            if (value is null)
            {
                sink.Report(DiagnosticDescriptors.UndefinedName, condition.Span, condition.Flag, Suggestions.DidYouMean(condition.Flag, env.Keys) + "; 'if' takes a true/false block parameter");
            }
            else
            {
                // Blame the value where it was written (the call-site argument or the parameter's default), like other bad values.
                sink.Report(DiagnosticDescriptors.BadValue, value.Span, "if", condition.Flag, "'" + value.Describe() + "': expected true or false");
            }

            return true;
        }

        private List<string>? ExpandRange(LabelSyntax range)
        {
            (string firstPrefix, int? firstNumber) = SplitNumber(range.First);
            (string lastPrefix, int? lastNumber) = SplitNumber(range.Last!);
            string? problem = firstNumber is null || lastNumber is null || firstPrefix != lastPrefix
                ? "both ends must be the same name followed by a number, as in block4..block11"
                : firstNumber > lastNumber ? "the first number is larger than the last"
                : lastNumber - firstNumber >= 1000 ? "a range may name at most 1000 items"
                : null;
            if (problem is not null)
            {
                sink.Report(DiagnosticDescriptors.BadLabelRange, range.Span, range.Text, problem);
                return null;
            }

            return Enumerable.Range(firstNumber!.Value, lastNumber!.Value - firstNumber.Value + 1).Select(i => firstPrefix + i).ToList();
        }

        private static (string Prefix, int? Number) SplitNumber(string label)
        {
            int digits = label.Length;
            while (digits > 0 && char.IsDigit(label[digits - 1]))
            {
                digits--;
            }

            return digits == label.Length || label.Length - digits > 6
                ? (label, null)
                : (label.Substring(0, digits), int.Parse(label.Substring(digits), System.Globalization.CultureInfo.InvariantCulture));
        }

        private int EvalPrimary(PrimarySyntax primary, int input, Dictionary<string, Value> env, Naming naming, string? label, SourceSpan labelSpan)
        {
            // A labeled container (list, group, residual, block call) owns its label like a layer does (ops claim theirs in EvalOp).
            bool isOp = primary is CallSyntax { Name: not OpSignatures.Residual } op && OpSignatures.TryGet(op.Name, out _);
            if (label is not null && !isOp && !ClaimName(naming.Join(label), labelSpan))
            {
                return NoNode;
            }

            switch (primary)
            {
                case ListSyntax list:
                {
                    Naming inner = label is not null ? naming.ChildList(label)
                        : naming.NextPosition() is string position ? Naming.Root.ChildList(position)
                        : naming.NewList();
                    foreach (ChainSyntax element in list.Elements)
                    {
                        input = EvalChain(element, input, env, inner);
                    }

                    return input;
                }

                case GroupSyntax group:
                    return EvalChain(group.Chain, input, env, label is null ? naming : naming.Child(label));

                case CallSyntax call when call.Name == OpSignatures.Residual:
                    return EvalResidual(call, input, env, ContainerNaming(naming, label));

                case CallSyntax call when OpSignatures.TryGet(call.Name, out OpSignature signature):
                    string? name = label is not null ? naming.Join(label) : naming.NextPosition();
                    return EvalOp(call, signature, input, env, name, label is not null ? labelSpan : call.NameSpan);

                case CallSyntax call when blocksDeclaredTwice.Contains(call.Name):
                    // Which declaration the call means is unknown; checking it against either would only repeat the duplicate.
                    return NoNode;

                case CallSyntax call when blocks.TryGetValue(call.Name, out BlockStatement block):
                    return EvalBlockCall(call, block, input, env, label is null ? naming : naming.Child(label));

                case CallSyntax call:
                    string hint = env.ContainsKey(call.Name)
                        ? " ('" + call.Name + "' is a block parameter, a value, not a layer)"
                        : Suggestions.DidYouMean(call.Name, OpSignatures.Names.Concat(blocks.Keys));
                    sink.Report(DiagnosticDescriptors.UnknownOp, call.NameSpan, call.Name, hint);
                    return NoNode;

                default:
                    throw new InvalidOperationException("unknown syntax " + primary.GetType().Name);
            }
        }

        /// <summary>
        /// A residual is a container like nn.Sequential's children: labeled, it opens a scope;
        /// unlabeled inside a list, it takes the next position; elsewhere its branches name things directly.
        /// </summary>
        private static Naming ContainerNaming(Naming naming, string? label) =>
            label is not null ? naming.Child(label)
            : naming.NextPosition() is string position ? Naming.Root.Child(position)
            : naming;

        private int EvalBlockCall(CallSyntax call, BlockStatement block, int input, Dictionary<string, Value> env, Naming naming)
        {
            int cycleStart = callStack.IndexOf(block.Name);
            if (cycleStart >= 0)
            {
                string cycle = string.Join(" -> ", callStack.Skip(cycleStart).Concat(new[] { block.Name }));
                sink.Report(DiagnosticDescriptors.RecursiveBlock, call.NameSpan, block.Name, cycle);
                return NoNode;
            }

            Dictionary<string, Value>? calleeEnv = BindBlockArguments(call, block, env);
            if (calleeEnv is null)
            {
                return NoNode;
            }

            callStack.Add(block.Name);
            try
            {
                return EvalChain(block.Body, input, calleeEnv, naming);
            }
            finally
            {
                callStack.RemoveAt(callStack.Count - 1);
            }
        }

        private Dictionary<string, Value>? BindBlockArguments(CallSyntax call, BlockStatement block, Dictionary<string, Value> env)
        {
            string[] parameterNames = block.Parameters.Select(p => p.Name).ToArray();
            string takes = parameterNames.Length == 0 ? "no arguments" : string.Join(", ", parameterNames);
            Dictionary<string, Value>? given = MatchArguments(call, block.Name, parameterNames, parameterNames, takes, env);
            if (given is null)
            {
                // The argument errors are reported; a parameter left without a value is their consequence, not a new mistake.
                return null;
            }

            bool ok = true;
            var calleeEnv = new Dictionary<string, Value>();
            foreach (BlockParameterSyntax parameter in block.Parameters)
            {
                Value? value = given.TryGetValue(parameter.Name, out Value argument) ? argument
                    : parameter.Default is not null ? EvalValue(parameter.Default, calleeEnv, block.Name, parameter.Name)
                    : null;
                if (value is null && parameter.Default is null)
                {
                    sink.Report(DiagnosticDescriptors.MissingValue, call.Span, block.Name, parameter.Name);
                }

                if (value is null)
                {
                    ok = false;
                }
                else
                {
                    calleeEnv[parameter.Name] = value;
                }
            }

            return ok ? calleeEnv : null;
        }

        /// <summary>
        /// Matches a call's arguments to parameter names (positional ones in order, then named ones) and evaluates them;
        /// each mistake is reported once and the result is null when there was any.
        /// </summary>
        private Dictionary<string, Value>? MatchArguments(CallSyntax call, string owner, IReadOnlyList<string> positional, IReadOnlyCollection<string> allowed, string takes, Dictionary<string, Value> env)
        {
            var values = new Dictionary<string, Value>();
            bool ok = true;
            int position = 0;
            foreach (ArgumentSyntax argument in call.Arguments)
            {
                string? parameter = argument.Name;
                if (parameter is null)
                {
                    if (position >= positional.Count)
                    {
                        sink.Report(DiagnosticDescriptors.ArgumentCount, argument.Span, owner, positional.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), call.Arguments.Count(a => a.Name is null).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        return null;
                    }

                    parameter = positional[position++];
                }
                else if (!allowed.Contains(parameter))
                {
                    sink.Report(DiagnosticDescriptors.UnknownArgument, argument.NameSpan, owner, parameter, takes + Suggestions.DidYouMean(parameter, allowed));
                    ok = false;
                    continue;
                }

                Value? value = EvalValue(argument.Value, env, owner, parameter);
                if (value is null)
                {
                    ok = false;
                }
                else if (values.ContainsKey(parameter))
                {
                    sink.Report(DiagnosticDescriptors.BadValue, argument.Span, owner, parameter, "it is given twice");
                    ok = false;
                }
                else
                {
                    values.Add(parameter, value);
                }
            }

            return ok ? values : null;
        }

        /// <summary>Evaluates an argument that must be a value; a bare name written like a layer (e.g. the c in sep(c)) counts as a name.</summary>
        private Value? EvalValue(ExpressionSyntax expression, Dictionary<string, Value> env, string owner, string argument)
        {
            switch (expression)
            {
                case NumberSyntax number:
                    return new NumberValue(number.Value, number.IsInteger, number.Span);
                case NameSyntax name:
                    return Resolve(name.Name, name.Span, env);
                case ChainSyntax { Items.Count: 1 } chain
                    when chain.Items[0] is { Label: null, Repeat: null, Condition: null, Primary: CallSyntax { HasParentheses: false } bare }:
                    return Resolve(bare.Name, bare.Span, env);
                default:
                    sink.Report(DiagnosticDescriptors.BadValue, expression.Span, owner, argument, "expected a value (a number or a name) but found layers");
                    return null;
            }
        }

        private Value? Resolve(string name, SourceSpan span, Dictionary<string, Value> env)
        {
            if (env.TryGetValue(name, out Value value))
            {
                return value;
            }

            switch (name)
            {
                case "true":
                    return new BoolValue(true, span);
                case "false":
                    return new BoolValue(false, span);
                case "valid":
                case "same":
                    return new KeywordValue(name, span);
                default:
                    sink.Report(DiagnosticDescriptors.UndefinedName, span, name, Suggestions.DidYouMean(name, env.Keys.Concat(new[] { "true", "false", "valid", "same" })));
                    return null;
            }
        }

        private int AddNode(Op op, int[] inputs, Shape output, string? name, ParameterSpec[] parameters, SourceSpan span)
        {
            if (nodes.Count >= MaxNodes)
            {
                throw new TooLargeException("it has more than " + MaxNodes + " layers", span);
            }

            var node = new Node(nodes.Count, op, inputs.ToEquatableArray(), output, name, parameters.ToEquatableArray(), span);
            nodes.Add(node);
            return node.Id;
        }

        /// <summary>Claims a module path; a second claim is a duplicate-name diagnostic.</summary>
        private bool ClaimName(string name, SourceSpan span)
        {
            if (names.TryGetValue(name, out SourceSpan first))
            {
                sink.Report(DiagnosticDescriptors.DuplicateName, span, name, "first at line " + first.DisplayLine);
                return false;
            }

            names.Add(name, span);
            return true;
        }

        /// <summary>Ends lowering at once: past a limit, every further diagnostic would be noise.</summary>
        private sealed class TooLargeException : Exception
        {
            public TooLargeException(string reason, SourceSpan span)
                : base(reason) => Span = span;

            public SourceSpan Span { get; }
        }
    }
}
