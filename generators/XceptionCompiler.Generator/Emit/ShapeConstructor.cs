using XceptionCompiler.Generator.IR;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>
    /// The runtime shape struct of a step's spatial op (<c>new ConvShape(...)</c>, <c>DepthwiseShape</c>, <c>PoolShape</c>):
    /// a static field of the CPU class, and a constant argument of the GPU kernels.
    /// </summary>
    internal static class ShapeConstructor
    {
        /// <summary>The struct type and its constructor expression, or null when the step's kernel takes plain sizes.</summary>
        public static (string Type, string Expression)? Of(EmitContext context, FusedStep step)
        {
            Shape inShape = context.Node(step.Input).Output;
            Node core = step.Core.Count > 0 ? context.Node(step.Core[0]) : context.Node(step.Output);
            string input = inShape.Channels + ", " + inShape.Height + ", " + inShape.Width + ", ";
            switch (core.Op)
            {
                case ConvOp conv when !KernelChoice.UsesPointwise(step, conv):
                    return ("ConvShape", "new ConvShape(" + input + core.Output.Channels + ", " + core.Output.Height + ", " + core.Output.Width + ", " + conv.Kernel + ", " + conv.Kernel + ", " + conv.Stride + ", " + conv.Padding.Top + ", " + conv.Padding.Left + ")");
                case DepthwiseOp depthwise:
                    return ("DepthwiseShape", "new DepthwiseShape(" + input + core.Output.Height + ", " + core.Output.Width + ", " + depthwise.Kernel + ", " + depthwise.Stride + ", " + depthwise.Padding.Top + ", " + depthwise.Padding.Left + ")");
                case MaxPoolOp pool:
                    return ("PoolShape", "new PoolShape(" + input + core.Output.Height + ", " + core.Output.Width + ", " + pool.Kernel + ", " + pool.Stride + ", " + pool.Padding.Top + ", " + pool.Padding.Left + ")");
                default:
                    return null;
            }
        }
    }
}
