using System.Numerics;
using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Vectorized primitives over contiguous runs of floats that several kernels share: batch-norm affine maps with ReLU,
/// gradient stores with the ReLU mask and the overwrite/accumulate choice, sums. These loops are memory-bound, so they
/// use the portable <see cref="Vector{T}"/> width.
/// </summary>
internal static unsafe class VectorRows
{
    /// <summary>dst = relu ? max(src, 0) : src.</summary>
    public static void CopyRelu(float* src, float* dst, long count, bool relu)
    {
        if (!relu)
        {
            Buffer.MemoryCopy(src, dst, count * sizeof(float), count * sizeof(float));
            return;
        }

        AffineRelu(src, dst, count, relu, affine: false, 1f, 0f);
    }

    /// <summary>
    /// dst = f(src) (+ residual when not null), then max(., 0) when <paramref name="relu"/>, with f(v) = (affine ?
    /// FMA(v, scale, shift) : v): a batch norm's normalisation with its fused residual add and ReLU, whether a pass of
    /// its own, a GEMM's epilogue or a consumer's prologue (a folded batch norm) runs it, so all three compute it with
    /// the same operations (as does the AVX-512 tile's epilogue in registers, <see cref="ThroughEpilogue512"/>). dst
    /// may be src.
    /// </summary>
    public static void AffineRelu(float* src, float* dst, long count, bool relu, bool affine, float scale, float shift, float* residual = null)
    {
        // One loop per combination of the three choices, so none is tested per vector (the JIT does not hoist them).
        if (affine)
        {
            AffineRelu<On>(src, dst, count, relu, scale, shift, residual);
        }
        else
        {
            AffineRelu<Off>(src, dst, count, relu, scale, shift, residual);
        }
    }

    private static void AffineRelu<TAffine>(float* src, float* dst, long count, bool relu, float scale, float shift, float* residual)
        where TAffine : struct, ISwitch
    {
        if (relu)
        {
            AffineRelu<TAffine, On>(src, dst, count, scale, shift, residual);
        }
        else
        {
            AffineRelu<TAffine, Off>(src, dst, count, scale, shift, residual);
        }
    }

    private static void AffineRelu<TAffine, TRelu>(float* src, float* dst, long count, float scale, float shift, float* residual)
        where TAffine : struct, ISwitch
        where TRelu : struct, ISwitch
    {
        if (residual != null)
        {
            AffineRelu<TAffine, TRelu, On>(src, dst, count, scale, shift, residual);
        }
        else
        {
            AffineRelu<TAffine, TRelu, Off>(src, dst, count, scale, shift, residual);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AffineRelu<TAffine, TRelu, TResidual>(float* src, float* dst, long count, float scale, float shift, float* residual)
        where TAffine : struct, ISwitch
        where TRelu : struct, ISwitch
        where TResidual : struct, ISwitch
    {
        var vScale = new Vector<float>(scale);
        var vShift = new Vector<float>(shift);
        long i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
        {
            AffineReluVector<TAffine, TRelu, TResidual>(src, dst, residual, i, vScale, vShift);
        }

        // The rest as one vector overlapping the last: short rows (19 floats in the middle flow) would otherwise spend
        // most of their time in the scalar loop. Not in place, where the overlap would apply the map twice.
        if (i < count && count >= Vector<float>.Count && dst != src && dst != residual)
        {
            AffineReluVector<TAffine, TRelu, TResidual>(src, dst, residual, count - Vector<float>.Count, vScale, vShift);
            i = count;
        }

        for (; i < count; i++)
        {
            float v = TAffine.IsOn ? MathF.FusedMultiplyAdd(src[i], scale, shift) : src[i];
            if (TResidual.IsOn)
            {
                v += residual[i];
            }

            dst[i] = TRelu.IsOn ? MathF.Max(v, 0f) : v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AffineReluVector<TAffine, TRelu, TResidual>(float* src, float* dst, float* residual, long at, Vector<float> scale, Vector<float> shift)
        where TAffine : struct, ISwitch
        where TRelu : struct, ISwitch
        where TResidual : struct, ISwitch
    {
        Vector<float> v = Vector.Load(src + at);
        if (TAffine.IsOn)
        {
            v = Vector.FusedMultiplyAdd(v, scale, shift);
        }

        if (TResidual.IsOn)
        {
            v += Vector.Load(residual + at);
        }

        (TRelu.IsOn ? Vector.Max(v, Vector<float>.Zero) : v).Store(dst + at);
    }

    /// <summary>
    /// dst (= or +=) gradient, masked by <c>mask &gt; 0</c> when <paramref name="mask"/> is not null (the ReLU
    /// derivative read from its input or output). dst is not read when overwriting.
    /// </summary>
    public static void StoreGradient(float* gradient, float* mask, float* dst, long count, bool accumulate) =>
        StoreGradient(gradient, mask, dst, count, accumulate, affine: false, 1f, 0f);

    /// <summary>
    /// As the other overload, with the mask read through the folded batch norm when <paramref name="affine"/>:
    /// <c>FMA(mask, scale, shift) &gt; 0</c>, the same value the ReLU saw in the forward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreGradient(float* gradient, float* mask, float* dst, long count, bool accumulate, bool affine, float scale, float shift)
    {
        var vScale = new Vector<float>(scale);
        var vShift = new Vector<float>(shift);
        long i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> g = Vector.Load(gradient + i);
            if (mask != null)
            {
                Vector<float> m = Vector.Load(mask + i);
                if (affine)
                {
                    m = Vector.FusedMultiplyAdd(m, vScale, vShift);
                }

                g = Vector.ConditionalSelect(Vector.GreaterThan(m, Vector<float>.Zero), g, Vector<float>.Zero);
            }

            if (accumulate)
            {
                g += Vector.Load(dst + i);
            }

            g.Store(dst + i);
        }

        for (; i < count; i++)
        {
            float m = mask == null ? 1f : affine ? MathF.FusedMultiplyAdd(mask[i], scale, shift) : mask[i];
            float g = m > 0f ? gradient[i] : 0f;
            dst[i] = accumulate ? dst[i] + g : g;
        }
    }

    /// <summary>y = a + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(float* a, float* b, float* y, long count)
    {
        long i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
        {
            (Vector.Load(a + i) + Vector.Load(b + i)).Store(y + i);
        }

        for (; i < count; i++)
        {
            y[i] = a[i] + b[i];
        }
    }

    /// <summary>dst (= or +=) value, for every element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fill(float value, float* dst, long count, bool accumulate)
    {
        var v = new Vector<float>(value);
        long i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
        {
            (accumulate ? Vector.Load(dst + i) + v : v).Store(dst + i);
        }

        for (; i < count; i++)
        {
            dst[i] = accumulate ? dst[i] + value : value;
        }
    }

    /// <summary>Sum of the elements; lanes accumulate in float, the total is returned in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(float* src, long count)
    {
        Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
        long i = 0;
        for (; i <= count - 2 * Vector<float>.Count; i += 2 * Vector<float>.Count)
        {
            acc0 += Vector.Load(src + i);
            acc1 += Vector.Load(src + i + Vector<float>.Count);
        }

        double total = Vector.Sum(acc0 + acc1);
        for (; i < count; i++)
        {
            total += src[i];
        }

        return total;
    }

    /// <summary>Sum of (src - center)^2; lanes accumulate in float, the total is returned in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumSquaredDeviation(float* src, float center, long count)
    {
        var c = new Vector<float>(center);
        Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
        long i = 0;
        for (; i <= count - 2 * Vector<float>.Count; i += 2 * Vector<float>.Count)
        {
            Vector<float> d0 = Vector.Load(src + i) - c;
            Vector<float> d1 = Vector.Load(src + i + Vector<float>.Count) - c;
            acc0 = Vector.FusedMultiplyAdd(d0, d0, acc0);
            acc1 = Vector.FusedMultiplyAdd(d1, d1, acc1);
        }

        double total = Vector.Sum(acc0 + acc1);
        for (; i < count; i++)
        {
            double d = src[i] - center;
            total += d * d;
        }

        return total;
    }
}
