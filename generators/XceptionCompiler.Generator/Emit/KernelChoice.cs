using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>Which runtime kernel runs a conv: the GEMM-based pointwise kernel when it can, else the general one.</summary>
    internal static class KernelChoice
    {
        /// <summary>A 1x1 stride-1 unpadded conv without a fused ReLU prologue is a plain GEMM per image.</summary>
        public static bool UsesPointwise(FusedStep step, ConvOp conv) => conv.IsPointwise && !step.ReluInput;
    }
}
