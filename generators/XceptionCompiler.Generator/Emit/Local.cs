using System.Linq;
using XceptionCompiler.Generator.Plan;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>
    /// The local pointer names inside a step method: x (input), r (residual operand), y (output),
    /// and t0, t1... for intermediates; each prefixed with d for its gradient.
    /// </summary>
    internal static class Local
    {
        public static string Of(EmitContext context, FusedStep step, int value, bool gradient = false)
        {
            string name = value == step.Output ? "y"
                : value == step.Input ? "x"
                : value == step.Residual ? "r"
                : "t" + step.Intermediates.ToList().IndexOf(value);
            return gradient ? "d" + name : name;
        }
    }
}
