using System.Collections.Generic;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Passes
{
    /// <summary>The passes after lowering, in order: fuse, derive gradient flags, plan memory.</summary>
    internal static class NetworkCompiler
    {
        public static CompiledNetwork Compile(NetworkGraph graph)
        {
            List<FusedStep> steps = Fusion.Run(graph);
            GradientFlags[] flags = GradientFlagsPass.Run(steps);
            (List<Allocation> arena, long floatsPerImage) = MemoryPlanner.Run(graph, steps);
            return new CompiledNetwork(graph, steps.ToEquatableArray(), flags.ToEquatableArray(), arena.ToEquatableArray(), floatsPerImage);
        }
    }
}
