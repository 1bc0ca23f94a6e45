using System.Linq;

namespace XceptionCompiler.Generator.Emit.Gpu
{
    /// <summary>
    /// Writes <c>Net.Kernels.g.cs</c>: the network's ILGPU kernels. Each is one call of a runtime device function with
    /// every size written as a constant; ILGPU inlines the call when it compiles the kernel, so loop bounds, strides
    /// and channel counts are constants in the PTX.
    /// </summary>
    internal static class GpuKernelEmitter
    {
        public static string Emit(EmitContext context, KernelTable table)
        {
            var w = new CodeWriter();
            Header.Write(w, context, "ILGPU", "XceptionCompiler.Runtime.Gpu.Kernels", "XceptionCompiler.Runtime.Kernels");
            using (w.Block("namespace " + context.Namespace))
            {
                using (w.Block("public sealed partial class " + context.ClassName))
                {
                    w.Line("/// <summary>" + context.ClassName + "'s ILGPU kernels: one per distinct pass of its fused steps, forward and backward, every size a constant.</summary>");
                    using (w.Block("public static class GpuKernels"))
                    {
                        foreach (DeviceKernel kernel in table.Kernels)
                        {
                            DeviceLaunch launch = kernel.Launch;
                            w.Line("/// <summary>" + launch.Op + "." + launch.Pass + ", launched by " + string.Join(", ", kernel.Users) + ".</summary>");
                            w.Line("public static void " + kernel.Name + "(" + string.Join(", ", kernel.Parameters) + ") =>");
                            w.Line("    " + launch.Op + "." + launch.Pass + "(" + string.Join(", ", launch.Views.Select(v => v.Parameter).Concat(launch.Batched ? new[] { "n" } : new string[0])) + ", " + launch.Constants + ");");
                            w.Line();
                        }
                    }
                }
            }

            return w.ToString();
        }
    }
}
