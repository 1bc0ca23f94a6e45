using System;
using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Passes
{
    /// <summary>
    /// The static memory plans: every buffer gets an offset in one arena, reusing memory between buffers whose
    /// lifetimes do not overlap. Two plans share the placement rules and differ only in lifetimes: the training plan
    /// runs time over the forward steps (0..T-1) and then the backward steps (T..2T-1, in reverse step order); the
    /// evaluation plan over the forward steps only, keeping nothing for backward. Sizes are per image, so a plan
    /// holds for any maximum batch: the runtime multiplies every offset by it.
    /// </summary>
    internal static class MemoryPlanner
    {
        /// <summary>Offsets are multiples of 16 floats (64 bytes, one cache line and one Vector512).</summary>
        private const long Alignment = 16;

        /// <summary>ForwardTrain and Backward: an activation lives until the last backward step that reads it; gradients follow.</summary>
        public static ArenaPlan Training(NetworkGraph graph, IReadOnlyList<FusedStep> steps)
        {
            int stepCount = steps.Count;
            int BackwardTime(int step) => (2 * stepCount) - 1 - step;

            Lifetimes lifetimes = ForwardLifetimes(steps);
            lifetimes.Touch(0, gradient: true, 2 * stepCount); // the input gradient is copied out after the last backward step
            lifetimes.Touch(graph.Output.Id, gradient: true, stepCount); // the logits gradient is copied in before the first
            for (int i = 0; i < stepCount; i++)
            {
                FusedStep step = steps[i];
                foreach (int value in StepDataflow.BackwardReads(step))
                {
                    lifetimes.Touch(value, gradient: false, BackwardTime(i));
                }

                foreach (int value in StepDataflow.GradientWrites(step).Concat(StepDataflow.GradientReads(step)))
                {
                    lifetimes.Touch(value, gradient: true, BackwardTime(i));
                }
            }

            return Place(graph, lifetimes);
        }

        /// <summary>ForwardEval: an activation lives from the step that writes it to the last step that reads it.</summary>
        public static ArenaPlan Evaluation(NetworkGraph graph, IReadOnlyList<FusedStep> steps) => Place(graph, ForwardLifetimes(steps));

        /// <summary>Activation lifetimes over the forward steps: the input is copied in before step 0, then each step reads and writes.</summary>
        private static Lifetimes ForwardLifetimes(IReadOnlyList<FusedStep> steps)
        {
            var lifetimes = new Lifetimes();
            lifetimes.Touch(0, gradient: false, 0);
            for (int i = 0; i < steps.Count; i++)
            {
                foreach (int value in StepDataflow.ForwardReads(steps[i]).Concat(StepDataflow.ForwardWrites(steps[i])))
                {
                    lifetimes.Touch(value, gradient: false, i);
                }
            }

            return lifetimes;
        }

        /// <summary>
        /// Largest buffers first, each at the lowest aligned offset where it overlaps no placed buffer that is live at
        /// the same time. Lifetimes are inclusive: a step's inputs and outputs never share memory.
        /// </summary>
        private static ArenaPlan Place(NetworkGraph graph, Lifetimes lifetimes)
        {
            var requests = lifetimes
                .Select(l => new Allocation(l.Key.Value, l.Key.Gradient, 0, Align(graph.Nodes[l.Key.Value].Output.Size), l.Value.First, l.Value.Last))
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
            return new ArenaPlan(placed.OrderBy(p => p.Gradient).ThenBy(p => p.Value).ToEquatableArray(), total);
        }

        private static long Align(long size) => (size + Alignment - 1) / Alignment * Alignment;

        /// <summary>The first and last time each buffer is used, by value and whether it is the value's gradient.</summary>
        private sealed class Lifetimes : Dictionary<(int Value, bool Gradient), (int First, int Last)>
        {
            public void Touch(int value, bool gradient, int time) =>
                this[(value, gradient)] = TryGetValue((value, gradient), out var span) ? (Math.Min(span.First, time), Math.Max(span.Last, time)) : (time, time);
        }
    }
}
