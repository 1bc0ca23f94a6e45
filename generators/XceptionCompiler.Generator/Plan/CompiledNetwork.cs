using System;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.IR;

namespace XceptionCompiler.Generator.Plan
{
    /// <summary>
    /// Everything the emitters need: the graph, its fused steps, the gradient flags and the two memory plans.
    /// Immutable and structurally equatable, so an unchanged model file reruns no emitter.
    /// </summary>
    /// <param name="TrainArena">ForwardTrain and Backward: activations live until the backward step that reads them, then gradients.</param>
    /// <param name="EvalArena">ForwardEval: forward lifetimes only, so it packs into the start of the same arena.</param>
    internal sealed record CompiledNetwork(
        NetworkGraph Graph,
        EquatableArray<FusedStep> Steps,
        EquatableArray<GradientFlags> Flags,
        ArenaPlan TrainArena,
        ArenaPlan EvalArena)
    {
        /// <summary>
        /// The one arena holds either plan. The evaluation plan's lifetimes are within the training plan's, but
        /// greedy placement does not promise a smaller result, so take the larger.
        /// </summary>
        public long ArenaFloatsPerImage => Math.Max(TrainArena.FloatsPerImage, EvalArena.FloatsPerImage);
    }
}
