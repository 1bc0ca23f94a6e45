using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Double-precision exp and log from additions, multiplications and bit operations only. ILGPU's PTX backend maps
/// Math.Exp and Math.Log to libdevice, which needs the CUDA toolkit at start-up; these need nothing and are accurate
/// to a few ulps, so the loss keeps the CPU's double-precision semantics on any device.
/// </summary>
public static class DoubleMath
{
    private const double Log2E = 1.4426950408889634;
    // ln 2 split so that k * Ln2High is exact for |k| < 2^11 (Cody and Waite).
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double Sqrt2 = 1.4142135623730951;
    private const double MinNormal = 2.2250738585072014E-308;

    /// <summary>e^x; 0 below -745.2, +infinity above 709.8, NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        if (!(x > -745.2))
        {
            return double.IsNaN(x) ? x : 0.0;
        }

        if (x > 709.8)
        {
            return double.PositiveInfinity;
        }

        // x = k ln2 + r with |r| <= ln2 / 2, then e^r by its Taylor series (the 14th term is below 1e-17).
        int k = (int)(x * Log2E + (x >= 0 ? 0.5 : -0.5));
        double r = x - k * Ln2High - k * Ln2Low;
        double p = 1.0 / 6227020800;
        p = p * r + 1.0 / 479001600;
        p = p * r + 1.0 / 39916800;
        p = p * r + 1.0 / 3628800;
        p = p * r + 1.0 / 362880;
        p = p * r + 1.0 / 40320;
        p = p * r + 1.0 / 5040;
        p = p * r + 1.0 / 720;
        p = p * r + 1.0 / 120;
        p = p * r + 1.0 / 24;
        p = p * r + 1.0 / 6;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        // 2^k in two factors, so that results in the subnormal range are still reached.
        int half = k / 2;
        return p * PowerOfTwo(half) * PowerOfTwo(k - half);
    }

    /// <summary>ln x for positive x; -infinity at 0, NaN below 0 or for NaN, +infinity at +infinity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double x)
    {
        if (!(x > 0))
        {
            return x == 0 ? double.NegativeInfinity : double.NaN;
        }

        if (x > double.MaxValue)
        {
            return x;
        }

        // Subnormal x: scale by 2^54 into the normal range first.
        int e = 0;
        if (x < MinNormal)
        {
            x *= 18014398509481984.0;
            e = -54;
        }

        // x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.172.
        ulong bits = Interop.FloatAsInt(x);
        e += (int)((bits >> 52) & 0x7FF) - 1023;
        double m = Interop.IntAsFloat((bits & 0x000F_FFFF_FFFF_FFFFUL) | 0x3FF0_0000_0000_0000UL);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }

        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double series = 1.0 / 23;
        series = series * s2 + 1.0 / 21;
        series = series * s2 + 1.0 / 19;
        series = series * s2 + 1.0 / 17;
        series = series * s2 + 1.0 / 15;
        series = series * s2 + 1.0 / 13;
        series = series * s2 + 1.0 / 11;
        series = series * s2 + 1.0 / 9;
        series = series * s2 + 1.0 / 7;
        series = series * s2 + 1.0 / 5;
        series = series * s2 + 1.0 / 3;
        series = series * s2 + 1.0;

        return e * Ln2High + (2.0 * s * series + e * Ln2Low);
    }

    // 2^k for k in [-1022, 1023], built from its exponent bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double PowerOfTwo(int k) => Interop.IntAsFloat((ulong)(k + 1023) << 52);
}
