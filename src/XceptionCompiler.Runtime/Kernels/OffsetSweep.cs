using System.Numerics;
using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The two 1-D sweeps a stride-1 depthwise convolution becomes on a <see cref="PaddedGrid"/>: a correlation with
/// fixed tap offsets (forward, and backward data with negated offsets) and per-tap dot products (weight gradient).
/// Each works on <see cref="Unroll"/> vectors at a time so independent FMA chains hide the FMA latency.
/// </summary>
internal static unsafe class OffsetSweep
{
    /// <summary>Vectors processed per step.</summary>
    public const int Unroll = 4;

    /// <summary>Floats a sweep may read or write past <c>length</c> (it rounds up to whole steps).</summary>
    public static int Overrun => Unroll * Vector<float>.Count;

    /// <summary>output[j] = sum over t of weights[t] * input[j + offsets[t]] for j in [0, length) (rounded up to a step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Correlate(float* input, int* offsets, float* weights, int taps, float* output, int length)
    {
        int width = Vector<float>.Count;
        for (int j = 0; j < length; j += Unroll * width)
        {
            Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero, acc2 = Vector<float>.Zero, acc3 = Vector<float>.Zero;
            for (int t = 0; t < taps; t++)
            {
                var w = new Vector<float>(weights[t]);
                float* p = input + j + offsets[t];
                acc0 = Vector.FusedMultiplyAdd(Vector.Load(p), w, acc0);
                acc1 = Vector.FusedMultiplyAdd(Vector.Load(p + width), w, acc1);
                acc2 = Vector.FusedMultiplyAdd(Vector.Load(p + 2 * width), w, acc2);
                acc3 = Vector.FusedMultiplyAdd(Vector.Load(p + 3 * width), w, acc3);
            }

            acc0.Store(output + j);
            acc1.Store(output + j + width);
            acc2.Store(output + j + 2 * width);
            acc3.Store(output + j + 3 * width);
        }
    }

    /// <summary>
    /// sums[t] += sum over j in [0, length) of gradient[j] * input[j + offsets[t]]; gradient must be zero from
    /// length up to the next whole step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TapDots(float* gradient, float* input, int* offsets, int taps, int length, double* sums)
    {
        int width = Vector<float>.Count;
        for (int t = 0; t < taps; t++)
        {
            float* x = input + offsets[t];
            Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero, acc2 = Vector<float>.Zero, acc3 = Vector<float>.Zero;
            for (int j = 0; j < length; j += Unroll * width)
            {
                acc0 = Vector.FusedMultiplyAdd(Vector.Load(gradient + j), Vector.Load(x + j), acc0);
                acc1 = Vector.FusedMultiplyAdd(Vector.Load(gradient + j + width), Vector.Load(x + j + width), acc1);
                acc2 = Vector.FusedMultiplyAdd(Vector.Load(gradient + j + 2 * width), Vector.Load(x + j + 2 * width), acc2);
                acc3 = Vector.FusedMultiplyAdd(Vector.Load(gradient + j + 3 * width), Vector.Load(x + j + 3 * width), acc3);
            }

            sums[t] += Vector.Sum((acc0 + acc1) + (acc2 + acc3));
        }
    }
}
