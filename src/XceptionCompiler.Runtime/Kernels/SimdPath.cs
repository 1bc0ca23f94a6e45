using System.Runtime.Intrinsics;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>The vector widths of the kernels' hand-written register tiles.</summary>
public enum SimdWidth
{
    /// <summary>AVX2-sized vectors (8 floats), the path for machines without AVX-512.</summary>
    Vector256,

    /// <summary>AVX-512 vectors (16 floats).</summary>
    Vector512,
}

/// <summary>
/// Which SIMD path kernels called from this thread take. The default is the widest the hardware accelerates; a
/// test can force the narrower path for a scope, so that both paths are checked on an AVX-512 machine (for a whole
/// process, <c>DOTNET_EnableAVX512F=0</c> does the same). The choice is read once per kernel call, not per element.
/// </summary>
public static class SimdPath
{
    [ThreadStatic]
    private static SimdWidth? t_forced;

    /// <summary>The widest path this machine accelerates.</summary>
    public static SimdWidth Widest => Vector512.IsHardwareAccelerated ? SimdWidth.Vector512 : SimdWidth.Vector256;

    /// <summary>The path kernels called from this thread take now.</summary>
    public static SimdWidth Current => t_forced ?? Widest;

    /// <summary>Makes kernels called from this thread take <paramref name="width"/> until the scope is disposed.</summary>
    public static Scope Force(SimdWidth width)
    {
        if (width > Widest)
        {
            throw new PlatformNotSupportedException($"this machine does not accelerate {width}; the widest path here is {Widest}");
        }

        var scope = new Scope(t_forced);
        t_forced = width;
        return scope;
    }

    /// <summary>Restores the path that was in force before <see cref="Force"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SimdWidth? _previous;

        internal Scope(SimdWidth? previous) => _previous = previous;

        public void Dispose() => t_forced = _previous;
    }
}
