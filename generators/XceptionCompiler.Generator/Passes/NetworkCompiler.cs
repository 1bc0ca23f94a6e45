using System.Collections.Generic;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Passes
{
    /// <summary>The passes after lowering, in order: fuse, derive gradient flags, plan memory (for training and for evaluation).</summary>
    internal static class NetworkCompiler
    {
        public static CompiledNetwork Compile(NetworkGraph graph)
        {
            List<FusedStep> steps = Fusion.Run(graph);
            GradientFlags[] flags = GradientFlagsPass.Run(steps);
            return new CompiledNetwork(graph, steps.ToEquatableArray(), flags.ToEquatableArray(), MemoryPlanner.Training(graph, steps), MemoryPlanner.Evaluation(graph, steps));
        }
    }
}
