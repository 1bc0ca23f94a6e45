using System;
using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Passes
{
    /// <summary>
    /// The static memory plan: every activation and activation gradient gets an offset in one arena, reusing
    /// memory between buffers whose lifetimes do not overlap. Time runs over the forward steps (0..T-1) and then
    /// the backward steps (T..2T-1, in reverse step order). Sizes are per image, so the plan holds for any
    /// maximum batch: the runtime multiplies every offset by it.
    /// </summary>
    internal static class MemoryPlanner
    {
        /// <summary>Offsets are multiples of 16 floats (64 bytes, one cache line and one Vector512).</summary>
        private const long Alignment = 16;

        public static (List<Allocation> Allocations, long FloatsPerImage) Run(NetworkGraph graph, IReadOnlyList<FusedStep> steps)
        {
            int stepCount = steps.Count;
            int BackwardTime(int step) => (2 * stepCount) - 1 - step;

            var activation = new Dictionary<int, (int First, int Last)>();
            var gradient = new Dictionary<int, (int First, int Last)>();
            void Touch(Dictionary<int, (int First, int Last)> lifetimes, int value, int time) =>
                lifetimes[value] = lifetimes.TryGetValue(value, out var span) ? (Math.Min(span.First, time), Math.Max(span.Last, time)) : (time, time);

            Touch(activation, 0, 0);
            Touch(gradient, 0, 2 * stepCount);
            Touch(gradient, graph.Output.Id, stepCount);
            for (int i = 0; i < stepCount; i++)
            {
                FusedStep step = steps[i];
                foreach (int value in StepDataflow.ForwardReads(step).Concat(StepDataflow.ForwardWrites(step)))
                {
                    Touch(activation, value, i);
                }

                foreach (int value in StepDataflow.BackwardReads(step))
                {
                    Touch(activation, value, BackwardTime(i));
                }

                foreach (int value in StepDataflow.GradientWrites(step).Concat(StepDataflow.GradientReads(step)))
                {
                    Touch(gradient, value, BackwardTime(i));
                }
            }

            var requests = activation.Select(a => (Value: a.Key, Gradient: false, Life: a.Value))
                .Concat(gradient.Select(g => (Value: g.Key, Gradient: true, Life: g.Value)))
                .Select(r => new Allocation(r.Value, r.Gradient, 0, Align(graph.Nodes[r.Value].Output.Size), r.Life.First, r.Life.Last))
                .OrderByDescending(r => r.Size)
                .ThenBy(r => r.FirstUse)
                .ThenBy(r => r.Value)
                .ThenBy(r => r.Gradient)
                .ToList();

            var placed = new List<Allocation>();
            foreach (Allocation request in requests)
            {
                long offset = 0;
                foreach (Allocation other in placed.Where(p => p.FirstUse <= request.LastUse && request.FirstUse <= p.LastUse).OrderBy(p => p.Offset))
                {
                    if (offset + request.Size <= other.Offset)
                    {
                        break;
                    }

                    offset = Math.Max(offset, other.Offset + other.Size);
                }

                placed.Add(request with { Offset = offset });
            }

            long total = placed.Count == 0 ? 0 : placed.Max(p => p.Offset + p.Size);
            return (placed.OrderBy(p => p.Gradient).ThenBy(p => p.Value).ToList(), total);
        }

        private static long Align(long size) => (size + Alignment - 1) / Alignment * Alignment;
    }
}
