using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.IR;

namespace XceptionCompiler.Generator.Plan
{
    /// <summary>
    /// Everything the emitters need: the graph, its fused steps, the gradient flags and the memory plan.
    /// Immutable and structurally equatable, so an unchanged model file reruns no emitter.
    /// </summary>
    internal sealed record CompiledNetwork(
        NetworkGraph Graph,
        EquatableArray<FusedStep> Steps,
        EquatableArray<GradientFlags> Flags,
        EquatableArray<Allocation> Arena,
        long ArenaFloatsPerImage);
}
