using Xunit;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>Tensor lengths for flat elementwise kernels.</summary>
internal static class ElementCounts
{
    // 1 and 37 exercise the scalar tail; 100003 spans several parallel chunks and ends mid-vector.
    public static TheoryData<int> Plain => new() { 1, 37, 100_003 };

    public static TheoryData<int, bool> WithAccumulate => new() { { 1, false }, { 37, true }, { 37, false }, { 100_003, false }, { 100_003, true } };
}
