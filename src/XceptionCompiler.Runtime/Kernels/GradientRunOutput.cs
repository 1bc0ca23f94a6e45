using System.Numerics;
using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Where a sweep writes a run of gradient values straight into its destination, as
/// <see cref="VectorRows.StoreGradient(float*, float*, float*, long, bool, bool, float, float)"/> would from scratch:
/// each value masked by the ReLU's derivative when <typeparamref name="TMask"/> (<c>mask &gt; 0</c>, or
/// <c>FMA(mask, scale, shift) &gt; 0</c> when <typeparamref name="TAffine"/>), then stored or, when
/// <typeparamref name="TAccumulate"/>, added. The last step writes only the run's own floats, so a run can end where a
/// plane does. With every switch off it is a plain store (a recomputed output).
/// </summary>
internal unsafe struct GradientRunOutput<TMask, TAffine, TAccumulate>(float* destination, float* mask, float scale, float shift) : ISweepOutput
    where TMask : struct, ISwitch
    where TAffine : struct, ISwitch
    where TAccumulate : struct, ISwitch
{
    private static int Width => Vector<float>.Count;

    private readonly Vector<float> vScale = new(scale), vShift = new(shift);
    private float* destination = destination;
    private float* mask = mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(Vector<float> first, Vector<float> second)
    {
        Store(first, 0);
        Store(second, Width);
        destination += 2 * Width;
        mask += 2 * Width;
    }

    public void WriteLast(Vector<float> first, Vector<float> second, int count)
    {
        for (int i = 0; i < count; i++)
        {
            float g = i < Width ? first[i] : second[i - Width];
            if (TMask.IsOn)
            {
                float m = TAffine.IsOn ? MathF.FusedMultiplyAdd(mask[i], vScale[0], vShift[0]) : mask[i];
                g = m > 0f ? g : 0f;
            }

            destination[i] = TAccumulate.IsOn ? destination[i] + g : g;
        }

        destination += count;
        mask += count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Store(Vector<float> g, int offset)
    {
        if (TMask.IsOn)
        {
            Vector<float> m = Vector.Load(mask + offset);
            if (TAffine.IsOn)
            {
                m = Vector.FusedMultiplyAdd(m, vScale, vShift);
            }

            g = Vector.ConditionalSelect(Vector.GreaterThan(m, Vector<float>.Zero), g, Vector<float>.Zero);
        }

        if (TAccumulate.IsOn)
        {
            g += Vector.Load(destination + offset);
        }

        g.Store(destination + offset);
    }
}
