using System.Numerics;

namespace XceptionCompiler.Reference;

/// <summary>Seeded, reproducible random tensors: the same seed gives the same values on every run and machine.</summary>
public static class TensorRandom
{
    /// <summary>A new tensor of <paramref name="length"/> values uniform in [min, max).</summary>
    public static T[] Uniform<T>(int length, int seed, double min = -1, double max = 1)
        where T : IFloatingPointIeee754<T>
    {
        var tensor = new T[length];
        Fill<T>(tensor, seed, min, max);
        return tensor;
    }

    /// <summary>A new float tensor of <paramref name="length"/> values uniform in [min, max).</summary>
    public static float[] Uniform(int length, int seed, double min = -1, double max = 1) => Uniform<float>(length, seed, min, max);

    /// <summary>Fills <paramref name="tensor"/> with values uniform in [min, max).</summary>
    public static void Fill<T>(Span<T> tensor, int seed, double min = -1, double max = 1)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor[i] = T.CreateTruncating(min + (max - min) * random.NextDouble());
        }
    }

    /// <summary>A new float tensor of small integers in [0, levels): many exact ties, for testing tie rules.</summary>
    public static float[] Integers(int length, int seed, int levels)
    {
        var random = new Random(seed);
        var tensor = new float[length];
        for (int i = 0; i < length; i++)
        {
            tensor[i] = random.Next(levels);
        }

        return tensor;
    }
}
