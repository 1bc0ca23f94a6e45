using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// <c>mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32</c> computed by the warp's lanes themselves: each lane
/// fetches, with <see cref="Warp.Shuffle{T}(T, int)"/>, the A and B elements of its four outputs from the lanes
/// that hold them in the PTX ISA fragment layout. Runs the tensor-core path's exact fragment loads and stores on
/// the CPU accelerator, so a wrong lane-to-element mapping fails the tests without a GPU.
/// </summary>
internal static class MmaEmulation
{
    private const int Depth = 8;

    /// <summary>
    /// D = A B + C for the warp. The caller's C/D layout: C0 = C[g, 2t], C1 = C[g, 2t + 1], C2 = C[g + 8, 2t],
    /// C3 = C[g + 8, 2t + 1]. Every lane of the warp must call it together.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ref AccumulatorQuad c, MmaFragmentA a, MmaFragmentB b)
    {
        int lane = Warp.LaneIdx;
        int group = lane >> 2, thread = lane & 3;
        for (int k = 0; k < Depth; k++)
        {
            bool upperHalf = k >= 4;
            int holder = k & 3;
            // A[r, k] lives in lane r*4 + k%4 (register A0/A1 for k < 4, A2/A3 above); B[k, n] in lane n*4 + k%4.
            float top = Interop.IntAsFloat(Warp.Shuffle(upperHalf ? a.A2 : a.A0, group * 4 + holder));
            float bottom = Interop.IntAsFloat(Warp.Shuffle(upperHalf ? a.A3 : a.A1, group * 4 + holder));
            uint bRegister = upperHalf ? b.B1 : b.B0;
            float left = Interop.IntAsFloat(Warp.Shuffle(bRegister, thread * 2 * 4 + holder));
            float right = Interop.IntAsFloat(Warp.Shuffle(bRegister, (thread * 2 + 1) * 4 + holder));
            c.C0 += top * left;
            c.C1 += top * right;
            c.C2 += bottom * left;
            c.C3 += bottom * right;
        }
    }
}
