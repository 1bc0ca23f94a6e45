using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// fp32 to TF32 (10 mantissa bits) as the tensor cores take it: <c>cvt.rna.tf32.f32</c> on a CUDA GPU, or the same
/// rounding (to nearest, ties away from zero) in integer arithmetic where the tensor cores are emulated.
/// </summary>
internal static class Tf32
{
    // The 13 low mantissa bits TF32 drops, and half of their range (the rounding increment).
    private const uint DroppedBits = 0x1FFF;
    private const uint HalfDropped = 0x1000;
    private const uint ExponentBits = 0x7F800000;

    /// <summary>The TF32 bit pattern nearest to <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Round(float value, bool emulate)
    {
        if (!emulate)
        {
            CudaAsm.Emit("cvt.rna.tf32.f32 %0, %1;", out uint rounded, value);
            return rounded;
        }

        uint bits = Interop.FloatAsInt(value);
        // Sign-magnitude: adding half an ulp to the magnitude rounds ties away from zero. Inf and NaN pass unchanged.
        if ((bits & ExponentBits) != ExponentBits)
        {
            bits += HalfDropped;
        }

        return bits & ~DroppedBits;
    }

    /// <summary>
    /// The 3xTF32 split value = hi + lo (both TF32): hi*hi + hi*lo + lo*hi recovers close to fp32 accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Remainder(float value, uint high, bool emulate) =>
        Round(value - Interop.IntAsFloat(high), emulate);
}
