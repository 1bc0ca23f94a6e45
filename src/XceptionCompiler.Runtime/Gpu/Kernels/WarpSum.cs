using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>Sum across the lanes of a warp by butterfly shuffles; every lane must call it, and every lane gets the sum.</summary>
internal static class WarpSum
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Reduce(float value)
    {
        for (int offset = Warp.WarpSize / 2; offset > 0; offset /= 2)
        {
            value += Warp.ShuffleXor(value, offset);
        }

        return value;
    }
}
