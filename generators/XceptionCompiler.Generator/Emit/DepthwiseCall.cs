using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>
    /// The depthwise forward calls: the forward pass of a depthwise step, and of a separable step (depthwise computed
    /// into the pointwise GEMM's panels, never stored; its backward recomputes it inside Depthwise.Backward).
    /// </summary>
    internal static class DepthwiseCall
    {
        /// <summary>Depthwise.Forward from the step's input x into the depthwise node's local, with the step's prologue (folded batch norm, ReLU).</summary>
        public static string Forward(EmitContext context, FusedStep step, Node depthwise) =>
            "Depthwise.Forward(x, " + context.Tensor(context.TensorOf(depthwise.Id, "weight")) + ", " + Local.Of(context, step, depthwise.Id)
            + ", n, " + context.ShapeField(step) + ", reluInput: " + CodeWriter.Bool(step.ReluInput) + context.PrologueArgument(step) + ");";

        /// <summary>
        /// Separable.Forward from the step's input x into <paramref name="output"/> (default: the pointwise node's
        /// local), with the step's prologue and, when not null, an epilogue argument.
        /// </summary>
        public static string Separable(EmitContext context, FusedStep step, Node depthwise, Node pointwise, string? output = null, string? epilogue = null) =>
            "Separable.Forward(x, " + context.Tensor(context.TensorOf(depthwise.Id, "weight")) + ", " + context.Tensor(context.TensorOf(pointwise.Id, "weight"))
            + ", " + (output ?? Local.Of(context, step, pointwise.Id)) + ", n, " + context.ShapeField(step) + ", " + pointwise.Output.Channels
            + ", reluInput: " + CodeWriter.Bool(step.ReluInput) + context.PrologueArgument(step) + (epilogue == null ? string.Empty : ", epilogue: " + epilogue) + ");";
    }
}
