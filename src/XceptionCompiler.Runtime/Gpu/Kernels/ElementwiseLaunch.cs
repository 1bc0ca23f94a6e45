using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The launch shape of element-wise passes: groups of 256 threads in a grid-stride loop, with enough groups to fill a
/// GPU but no more, so a large tensor gives each thread several elements instead of launching millions of threads.
/// </summary>
public static class ElementwiseLaunch
{
    /// <summary>Threads per group.</summary>
    public const int GroupSize = 256;

    // 132 SMs x 8 resident groups of 256 threads on an H100/H200, rounded up.
    private const int MaxGroups = 1056;

    /// <summary>The configuration for <paramref name="elements"/> elements (at least one group).</summary>
    public static KernelConfig Config(long elements)
    {
        if (elements > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(elements), elements, "element-wise passes index with int");
        }

        int groups = (int)Math.Clamp((elements + GroupSize - 1) / GroupSize, 1, MaxGroups);
        return new KernelConfig(groups, GroupSize);
    }
}
