using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>The depthwise forward call, which the forward pass emits and a separable step's backward repeats.</summary>
    internal static class DepthwiseCall
    {
        /// <summary>Depthwise.Forward from the step's input x into the depthwise node's local, with the step's prologue (folded batch norm, ReLU).</summary>
        public static string Forward(EmitContext context, FusedStep step, Node depthwise) =>
            "Depthwise.Forward(x, " + context.Tensor(context.TensorOf(depthwise.Id, "weight")) + ", " + Local.Of(context, step, depthwise.Id)
            + ", n, " + context.ShapeField(step) + ", reluInput: " + CodeWriter.Bool(step.ReluInput) + context.PrologueArgument(step) + ");";
    }
}
