using System;
using XceptionCompiler.Generator.IR;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>Output sizes and resolved padding of windowed ops (conv, depthwise, max pool).</summary>
    internal static class ShapeRules
    {
        /// <summary>Resolves padding for an input; false when the output would have no rows or columns.</summary>
        public static bool TryResolve(PaddingSpec spec, int inHeight, int inWidth, int kernel, int stride, out Padding padding, out int outHeight, out int outWidth)
        {
            Resolve(spec, inHeight, kernel, stride, out int top, out int bottom);
            Resolve(spec, inWidth, kernel, stride, out int left, out int right);
            padding = new Padding(top, left, bottom, right);
            outHeight = OutputSize(inHeight + top + bottom, kernel, stride);
            outWidth = OutputSize(inWidth + left + right, kernel, stride);
            return outHeight > 0 && outWidth > 0;
        }

        private static int OutputSize(int paddedInput, int kernel, int stride) =>
            paddedInput < kernel ? 0 : ((paddedInput - kernel) / stride) + 1;

        private static void Resolve(PaddingSpec spec, int input, int kernel, int stride, out int before, out int after)
        {
            switch (spec.Mode)
            {
                case PaddingMode.Same:
                    int output = (input + stride - 1) / stride;
                    int total = Math.Max(((output - 1) * stride) + kernel - input, 0);
                    before = total / 2;
                    after = total - before;
                    break;
                case PaddingMode.Explicit:
                    before = after = spec.Amount;
                    break;
                default:
                    before = after = 0;
                    break;
            }
        }
    }
}
