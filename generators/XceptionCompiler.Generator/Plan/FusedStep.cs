using System.Collections.Generic;
using XceptionCompiler.Generator.Common;

namespace XceptionCompiler.Generator.Plan
{
    /// <summary>
    /// One fused step: a run of graph nodes emitted as one forward and one backward method.
    /// Values are graph node ids whose outputs live in the arena. Immutable and structurally equatable.
    /// </summary>
    /// <param name="Input">The value the step reads (before the fused ReLU prologue, when <paramref name="ReluInput"/>).</param>
    /// <param name="Core">The main nodes in order (e.g. depthwise then pointwise); empty for a standalone batch norm or add.</param>
    /// <param name="BatchNorm">The fused batch-norm node, or -1.</param>
    /// <param name="Residual">The value added in the epilogue (the other operand of a fused residual add), or -1.</param>
    /// <param name="Output">The value the step produces (its last fused node).</param>
    /// <param name="FoldedOutput">
    /// The step's batch norm is folded into its consumer's prologue: it computes statistics and the per-channel
    /// scale and shift only, and its output is never stored.
    /// </param>
    /// <param name="InputNorm">
    /// The batch norm folded into this step's input prologue (read as relu(x * scale + shift)), or -1. The step then
    /// reads that batch norm's input from the arena (<paramref name="StoredInput"/>), while its input gradient is
    /// still the gradient of <paramref name="Input"/>, the batch norm's output.
    /// </param>
    /// <param name="StoredInput">The value whose buffer the step reads as its input: <paramref name="Input"/>, unless a batch norm is folded in.</param>
    /// <param name="Nodes">Every graph node the step covers, for comments and summaries.</param>
    internal sealed record FusedStep(
        int Index,
        StepKind Kind,
        string MethodName,
        int Input,
        bool ReluInput,
        EquatableArray<int> Core,
        int BatchNorm,
        int Residual,
        bool ReluOutput,
        int Output,
        bool FoldedOutput,
        int InputNorm,
        int StoredInput,
        EquatableArray<int> Nodes)
    {
        public bool HasBatchNorm => BatchNorm >= 0;

        public bool HasInputNorm => InputNorm >= 0;

        public bool HasResidual => Residual >= 0;

        /// <summary>The step reads the network input, whose gradient Backward computes only when asked.</summary>
        public bool ReadsNetworkInput => Input == 0;

        /// <summary>The value the batch norm reads: the last core node's output, or the step input for a standalone batch norm.</summary>
        public int NormInput => Core.Count > 0 ? Core[Core.Count - 1] : Input;

        /// <summary>
        /// Values the step writes to the arena besides its output, and that its backward reads:
        /// the depthwise output of a separable step, and the conv output that a fused batch norm normalises.
        /// </summary>
        public IEnumerable<int> Intermediates
        {
            get
            {
                bool isConvKind = Kind is StepKind.Conv or StepKind.Separable or StepKind.Depthwise;
                for (int i = 0; isConvKind && i < Core.Count; i++)
                {
                    if (i < Core.Count - 1 || HasBatchNorm)
                    {
                        yield return Core[i];
                    }
                }
            }
        }
    }
}
