using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Passes
{
    /// <summary>What each fused step reads and writes, forward and backward; the memory planner and the gradient flags derive from it.</summary>
    internal static class StepDataflow
    {
        /// <summary>Values the forward pass of the step reads.</summary>
        public static IEnumerable<int> ForwardReads(FusedStep step) =>
            step.HasResidual ? new[] { step.StoredInput, step.Residual } : new[] { step.StoredInput };

        /// <summary>Values the step writes in the forward pass (not its output when its batch norm is folded into the consumer).</summary>
        public static IEnumerable<int> ForwardWrites(FusedStep step) => step.Intermediates.Concat(step.FoldedOutput ? new int[0] : new[] { step.Output });

        /// <summary>Forward values the backward pass of the step reads (kept alive until then).</summary>
        public static IEnumerable<int> BackwardReads(FusedStep step)
        {
            switch (step.Kind)
            {
                case StepKind.Conv:
                case StepKind.Separable:
                case StepKind.Depthwise:
                    return new[] { step.StoredInput }.Concat(step.Intermediates.Except(RecomputedInBackward(step))).Concat(step.ReluOutput ? new[] { step.Output } : new int[0]);
                case StepKind.BatchNorm:
                    return step.ReluOutput ? new[] { step.Input, step.Output } : new[] { step.Input };
                case StepKind.MaxPool:
                case StepKind.Dense:
                    return new[] { step.Input };
                case StepKind.Relu:
                    return new[] { step.Output };
                default:
                    return new int[0];
            }
        }

        /// <summary>
        /// Forward values the backward pass recomputes instead of keeping: a separable step's depthwise output, which
        /// is as large as the step's input but costs only 9 multiply-adds per element to redo. It is recomputed into
        /// its own gradient's buffer, which the pointwise weight gradient reads before the data gradient overwrites it.
        /// </summary>
        public static IEnumerable<int> RecomputedInBackward(FusedStep step) =>
            step.Kind == StepKind.Separable ? new[] { step.Core[0] } : new int[0];

        /// <summary>
        /// Gradients the backward pass writes, in the order it writes them: residual operand first, input next, and
        /// last, where a batch norm is folded into the input, that batch norm's input gradient: the CPU depthwise
        /// backward runs the folded batch norm's backward (the gradient of <see cref="FusedStep.StoredInput"/>, an
        /// intermediate of the step before).
        /// </summary>
        public static IEnumerable<int> GradientWrites(FusedStep step)
        {
            if (step.HasResidual)
            {
                yield return step.Residual;
            }

            foreach (int intermediate in step.Intermediates.Reverse())
            {
                yield return intermediate;
            }

            yield return step.Input;
            if (step.HasInputNorm)
            {
                yield return step.StoredInput;
            }
        }

        /// <summary>
        /// Gradients the backward pass reads: its output's, then its intermediates'. A folded batch norm's output
        /// gradient stays alive until its own step although the CPU code runs that batch norm's backward in the next
        /// step's: the device code runs it in its own step.
        /// </summary>
        public static IEnumerable<int> GradientReads(FusedStep step) => new[] { step.Output }.Concat(step.Intermediates);
    }
}
