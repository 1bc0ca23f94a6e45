using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>Small device helpers the spatial kernels share: exact FMA, integer divisions that round down or up.</summary>
internal static class DeviceMath
{
    /// <summary>
    /// a * b + c rounded once, as the CPU kernels compute their prologue and taps (ILGPU 1.5.3 has no FMA intrinsic
    /// reachable from C#, and a separate multiply and add could round twice): inline PTX on CUDA, MathF elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Fma(float a, float b, float c)
    {
        if (CudaAsm.IsSupported)
        {
            CudaAsm.Emit("fma.rn.f32 %0, %1, %2, %3;", out float result, a, b, c);
            return result;
        }

        return MathF.FusedMultiplyAdd(a, b, c);
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
