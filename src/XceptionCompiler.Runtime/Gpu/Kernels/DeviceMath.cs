using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>Small device helpers the spatial kernels share: exact FMA, integer divisions that round down or up.</summary>
internal static class DeviceMath
{
    /// <summary>
    /// a * b + c rounded once, as the CPU kernels compute their prologue and taps (ILGPU 1.5.3 has no FMA intrinsic
    /// reachable from C#, and a separate multiply and add could round twice): inline PTX on CUDA, elsewhere
    /// <see cref="ExactFma"/>. Not MathF.FusedMultiplyAdd: ILGPU keeps the dead branch in the PTX, and there that
    /// call would be an unresolved extern function.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Fma(float a, float b, float c)
    {
        if (CudaAsm.IsSupported)
        {
            CudaAsm.Emit("fma.rn.f32 %0, %1, %2, %3;", out float result, a, b, c);
            return result;
        }

        return ExactFma(a, b, c);
    }

    /// <summary>
    /// The single-rounding float FMA from double operations any backend compiles: a * b is exact in double (24 + 24
    /// significant bits); the sum is rounded to odd (its last bit set when inexact, found by TwoSum), which leaves
    /// 29 spare bits, so the final rounding to float gives the correctly rounded a * b + c.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float ExactFma(float a, float b, float c)
    {
        double product = (double)a * b;
        double sum = product + c;
        double virtualC = sum - product;
        double error = (product - (sum - virtualC)) + (c - virtualC);
        long bits = BitConverter.DoubleToInt64Bits(sum);
        if (error != 0 && (bits & 1) == 0)
        {
            // Step to the odd neighbour on the side of the exact value.
            bits += (error > 0) == (sum > 0) ? 1 : -1;
            sum = BitConverter.Int64BitsToDouble(bits);
        }

        return (float)sum;
    }

    /// <summary>a / b rounded towards negative infinity (b &gt; 0): window origins may start before the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((b - 1 - a) / b);

    /// <summary>a / b rounded up (a &gt;= 0, b &gt; 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CeilDiv(int a, int b) => (a + b - 1) / b;

    /// <summary>a / b rounded up (a &gt;= 0, b &gt; 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
