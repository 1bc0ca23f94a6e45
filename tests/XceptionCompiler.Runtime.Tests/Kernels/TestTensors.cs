using XceptionCompiler.Reference;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>Input and output buffers for kernel tests.</summary>
internal static class TestTensors
{
    /// <summary>Uniform values in [-1, 1): about half negative, so ReLU masks matter.</summary>
    public static float[] Random(long length, int seed) => TensorRandom.Uniform((int)length, seed);

    /// <summary>
    /// The starting content of an output buffer: random when the kernel accumulates into it, NaN when it must
    /// overwrite it (so a kernel that reads or keeps old values fails).
    /// </summary>
    public static float[] Initial(long length, bool accumulate, int seed) =>
        accumulate ? Random(length, seed) : Enumerable.Repeat(float.NaN, (int)length).ToArray();

    /// <summary>FMA(x, scale[c], shift[c]) for every element of NCHW planes of <paramref name="plane"/> floats: what a folded batch-norm prologue reads.</summary>
    public static float[] ThroughAffine(float[] x, float[] scale, float[] shift, int plane) =>
        x.Select((v, i) => MathF.FusedMultiplyAdd(v, scale[i / plane % scale.Length], shift[i / plane % scale.Length])).ToArray();
}
