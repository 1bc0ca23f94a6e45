using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The maxima of one output row of a stride-2 max pool, 16 windows at a time (AVX-512), from the row of column
/// maxima its windows cover, padded with -infinity. Tap kw of windows ow .. ow+15 is every other float from
/// padded + 2 ow + kw (<see cref="EvenLanes"/>). The taps are maxed in window order, as the scalar pass does, so
/// the values are the same.
/// </summary>
internal static unsafe class StrideTwoMaxima
{
    private const int Lanes = EvenLanes.Count;

    /// <summary>Floats the padded row must hold: the last vector of windows reads two vectors past its tap.</summary>
    public static int PaddedFloats(in PoolShape s) => ((s.OutWidth + Lanes - 1) / Lanes * 2 * Lanes) + s.Kernel;

    /// <summary>
    /// y[ow] = max over tap kw of padded[2 ow + kw] (+ residual[ow] when residual is not null), for ow in [0, OutWidth);
    /// nothing past y[OutWidth - 1] is written, nor residual read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(float* padded, in PoolShape s, float* y, float* residual)
    {
        for (int ow = 0; ow < s.OutWidth; ow += Lanes)
        {
            float* window = padded + (2 * ow);
            Vector512<float> max = EvenLanes.Load(window);
            for (int kw = 1; kw < s.Kernel; kw++)
            {
                max = Vector512.Max(max, EvenLanes.Load(window + kw));
            }

            Vector512<float> mask = EvenLanes.First(s.OutWidth - ow);
            if (residual != null)
            {
                max += Avx512F.MaskLoad(residual + ow, mask, Vector512<float>.Zero);
            }

            Avx512F.MaskStore(y + ow, mask, max);
        }
    }
}
