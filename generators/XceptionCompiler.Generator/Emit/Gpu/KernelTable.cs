using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit.Gpu
{
    /// <summary>A generated kernel: its name, the launch it was first made for, and the steps that launch it.</summary>
    internal sealed class DeviceKernel
    {
        public DeviceKernel(string name, DeviceLaunch launch)
        {
            Name = name;
            Launch = launch;
        }

        public string Name { get; }

        public DeviceLaunch Launch { get; }

        public List<string> Users { get; } = new List<string>();

        /// <summary>The field of the generated GPU class that holds the loaded kernel.</summary>
        public string Field => char.ToLowerInvariant(Name[0]) + Name.Substring(1);

        /// <summary>The kernel's parameter types after its launch configuration: the views, n, and the dropout seed.</summary>
        public IEnumerable<string> ParameterTypes =>
            Launch.Views.Select(_ => "ArrayView<float>").Concat(Launch.Batched ? new[] { "int" } : new string[0]).Concat(Launch.Seed is null ? new string[0] : new[] { "ulong" });

        public IEnumerable<string> Parameters =>
            Launch.Views.Select(v => "ArrayView<float> " + v.Parameter).Concat(Launch.Batched ? new[] { "int n" } : new string[0]).Concat(Launch.Seed is null ? new string[0] : new[] { "ulong seed" });
    }

    /// <summary>
    /// Every launch of every step (forward, then backward in reverse step order), and the distinct kernels they need:
    /// launches with equal function, view roles and constants share one kernel (the middle flow's eight blocks share
    /// theirs), named after the first step that launches it.
    /// </summary>
    internal sealed class KernelTable
    {
        private readonly Dictionary<string, DeviceKernel> byKey = new Dictionary<string, DeviceKernel>();
        private readonly HashSet<string> names = new HashSet<string>();

        public KernelTable(EmitContext context)
        {
            foreach (FusedStep step in context.Network.Steps)
            {
                Forward.Add(step.Index, Register(step, DeviceStepLaunches.Forward(context, step)));
            }

            foreach (FusedStep step in context.Network.Steps.Reverse())
            {
                Backward.Add(step.Index, Register(step, DeviceStepLaunches.Backward(context, step, context.Network.Flags[step.Index], step.ReadsNetworkInput)));
            }
        }

        public List<DeviceKernel> Kernels { get; } = new List<DeviceKernel>();

        /// <summary>Each step's forward launches with their kernels, by step index.</summary>
        public Dictionary<int, List<(DeviceLaunch Launch, DeviceKernel Kernel)>> Forward { get; } = new Dictionary<int, List<(DeviceLaunch, DeviceKernel)>>();

        public Dictionary<int, List<(DeviceLaunch Launch, DeviceKernel Kernel)>> Backward { get; } = new Dictionary<int, List<(DeviceLaunch, DeviceKernel)>>();

        private List<(DeviceLaunch, DeviceKernel)> Register(FusedStep step, List<DeviceLaunch> launches)
        {
            var result = new List<(DeviceLaunch, DeviceKernel)>();
            foreach (DeviceLaunch launch in launches)
            {
                if (!byKey.TryGetValue(launch.KernelKey, out DeviceKernel kernel))
                {
                    kernel = new DeviceKernel(UniqueName(step.MethodName + "_" + launch.Op.Substring("Gpu".Length) + launch.Pass), launch);
                    byKey.Add(launch.KernelKey, kernel);
                    Kernels.Add(kernel);
                }

                string user = step.MethodName;
                if (!kernel.Users.Contains(user))
                {
                    kernel.Users.Add(user);
                }

                result.Add((launch, kernel));
            }

            return result;
        }

        private string UniqueName(string name)
        {
            string unique = name;
            for (int i = 2; !names.Add(unique); i++)
            {
                unique = name + i;
            }

            return unique;
        }
    }
}
