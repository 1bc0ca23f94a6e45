using System.Collections.Generic;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Passes
{
    /// <summary>
    /// Walks the steps in backward order: the first step to write a value's gradient overwrites it, later ones
    /// add to it. So gradient buffers never need clearing, and a value read by two branches sums both.
    /// </summary>
    internal static class GradientFlagsPass
    {
        public static GradientFlags[] Run(IReadOnlyList<FusedStep> steps)
        {
            var flags = new GradientFlags[steps.Count];
            var written = new HashSet<int>();
            for (int i = steps.Count - 1; i >= 0; i--)
            {
                FusedStep step = steps[i];
                bool accumulateResidual = step.HasResidual && !written.Add(step.Residual);
                bool accumulateInput = !written.Add(step.Input);
                flags[i] = new GradientFlags(accumulateInput, accumulateResidual);
            }

            return flags;
        }
    }
}
