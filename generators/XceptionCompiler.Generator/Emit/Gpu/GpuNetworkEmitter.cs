using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit.Gpu
{
    /// <summary>
    /// Writes <c>Net.Gpu.g.cs</c>: the nested class <c>Net.Gpu</c>, which loads the network's kernels once and launches
    /// them step by step over the CPU class's memory plan (the same arena slots, parameter offsets and saved statistics).
    /// </summary>
    internal static class GpuNetworkEmitter
    {
        public static string Emit(EmitContext context, KernelTable table)
        {
            var w = new CodeWriter();
            Header.Write(w, context, "System", "System.Runtime.CompilerServices", "ILGPU", "ILGPU.Runtime", "XceptionCompiler.Runtime.Gpu", "XceptionCompiler.Runtime.Gpu.Kernels", "XceptionCompiler.Runtime.Kernels", "XceptionCompiler.Runtime.Networks");
            string name = context.ClassName;
            using (w.Block("namespace " + context.Namespace))
            {
                using (w.Block("public sealed partial class " + name))
                {
                    w.Line("[ModuleInitializer]");
                    w.Line("internal static void RegisterGpu() => GpuNetworkRegistry.Register(" + CodeWriter.String(name) + ", (host, accelerator) => new Gpu((" + name + ")host, accelerator));");
                    w.Line();
                    w.Line("/// <summary>" + name + " on an ILGPU accelerator: its kernels (GpuKernels) launched over the same memory plan as the CPU code.</summary>");
                    using (w.Block("public sealed class Gpu : GpuNetwork"))
                    {
                        WriteMembers(w, context, table);
                        foreach (FusedStep step in context.Network.Steps)
                        {
                            WriteStep(w, context, step, table.Forward[step.Index], backward: false);
                        }

                        foreach (FusedStep step in context.Network.Steps.Reverse())
                        {
                            WriteStep(w, context, step, table.Backward[step.Index], backward: true);
                        }
                    }
                }
            }

            return w.ToString();
        }

        private static void WriteMembers(CodeWriter w, EmitContext context, KernelTable table)
        {
            foreach (DeviceKernel kernel in table.Kernels)
            {
                w.Line("private Action<KernelConfig, " + string.Join(", ", kernel.ParameterTypes) + "> " + kernel.Field + " = null!;");
            }

            w.Line();
            string batchNorms = string.Join(", ", context.Graph.Nodes.Where(node => node.Op is BatchNormOp).Select(node => "(" + node.Output.Channels + ", " + node.Output.Spatial + ")").Distinct());
            w.Line("/// <summary>Allocates the device buffers for the host network's maximum batch, copies its weights, and compiles every kernel.</summary>");
            w.Line("public Gpu(" + context.ClassName + " host, Accelerator accelerator)");
            w.Line("    : base(host, accelerator, SavedFloats, ArenaFloatsPerImage, batchNorms: new (int, int)[] { " + batchNorms + " })");
            w.Line("{");
            w.Line("}");
            w.Line();
            w.Line("public override int KernelCount => " + table.Kernels.Count + ";");
            w.Line();
            int input = context.Graph.Input.Id;
            int output = context.Graph.Output.Id;
            w.Line("protected override long InputSlot(bool training) => training ? " + context.Slot(input) + " : " + context.EvalSlot(input) + ";");
            w.Line("protected override long OutputSlot(bool training) => training ? " + context.Slot(output) + " : " + context.EvalSlot(output) + ";");
            w.Line("protected override long InputGradientSlot => " + context.Slot(input, gradient: true) + ";");
            w.Line("protected override long OutputGradientSlot => " + context.Slot(output, gradient: true) + ";");
            w.Line();
            using (w.Block("protected override void LoadKernels()"))
            {
                foreach (DeviceKernel kernel in table.Kernels)
                {
                    w.Line(kernel.Field + " = Accelerator.LoadStreamKernel<" + string.Join(", ", kernel.ParameterTypes) + ">(GpuKernels." + kernel.Name + ");");
                }
            }

            w.Line();
            using (w.Block("protected override void ForwardSteps(int n, bool training)"))
            {
                foreach (FusedStep step in context.Network.Steps)
                {
                    w.Line(step.MethodName + "_Forward(n, training);");
                }
            }

            w.Line();
            using (w.Block("protected override void BackwardSteps(int n, bool wantInputGradient)"))
            {
                foreach (FusedStep step in context.Network.Steps.Reverse())
                {
                    w.Line(step.MethodName + "_Backward(n" + (step.ReadsNetworkInput ? ", wantInputGradient" : string.Empty) + ");");
                }
            }

            w.Line();
        }

        private static void WriteStep(CodeWriter w, EmitContext context, FusedStep step, List<(DeviceLaunch Launch, DeviceKernel Kernel)> launches, bool backward)
        {
            w.Line("/// <summary>" + (backward ? "Backward of " : string.Empty) + StepComments.Describe(context, step) + "</summary>");
            string parameters = backward ? "int n" + (step.ReadsNetworkInput ? ", bool inputGradient" : string.Empty) : "int n, bool training";
            using (w.Block("private void " + step.MethodName + (backward ? "_Backward" : "_Forward") + "(" + parameters + ")"))
            {
                StepComments.DeclareValues(w, context, step, backward, device: true);
                foreach ((DeviceLaunch launch, DeviceKernel kernel) in launches)
                {
                    IEnumerable<string> arguments = new[] { launch.ConfigCall }
                        .Concat(launch.Views.Select(v => v.Argument))
                        .Concat(launch.Batched ? new[] { "n" } : new string[0])
                        .Concat(launch.Seed is null ? new string[0] : new[] { launch.Seed });
                    string call = kernel.Field + "(" + string.Join(", ", arguments) + ");";
                    w.Line(launch.Condition is null ? call : "if (" + launch.Condition + ") " + call);
                }
            }

            w.Line();
        }
    }
}
