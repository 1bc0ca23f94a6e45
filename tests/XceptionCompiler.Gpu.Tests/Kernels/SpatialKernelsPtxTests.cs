using XceptionCompiler.Gpu.Tests.Infrastructure;
using XceptionCompiler.Runtime.Gpu.Kernels;
using Xunit;

namespace XceptionCompiler.Gpu.Tests.Kernels;

/// <summary>
/// The spatial kernels, written as the generator writes them (record-struct shapes and flags as constants), compile
/// with ILGPU's PTX backend for sm_80, and the PTX holds what the design relies on: the prologue's single-rounding FMA
/// (inline PTX, as ILGPU has no FMA intrinsic), barriers around the shared-memory tiles, the weight gradient's
/// atomics, the average pool's shuffles, no external functions, and the CPU dropout hash's 64-bit multiplies; the
/// weight average's passes, written as the training step loads them.
/// </summary>
public sealed class SpatialKernelsPtxTests
{
    [Theory]
    [InlineData(typeof(GpuDepthwiseTests), "AsymmetricForward", new[] { "fma.rn.f32", "bar.sync" })]
    [InlineData(typeof(GpuDepthwiseTests), "AsymmetricData", new[] { "fma.rn.f32", "bar.sync" })]
    [InlineData(typeof(GpuDepthwiseTests), "AsymmetricWeights", new[] { "fma.rn.f32", "bar.sync", "red.add.global.f32" })]
    [InlineData(typeof(GpuMaxPoolTests), "XceptionForward", new[] { "max" })]
    [InlineData(typeof(GpuMaxPoolTests), "XceptionBackward", new[] { "setp.gt.f32" })]
    [InlineData(typeof(GpuGlobalAvgPoolTests), "LongForward", new[] { "shfl.sync.bfly" })]
    [InlineData(typeof(GpuGlobalAvgPoolTests), "LongBackward", new[] { "div" })]
    [InlineData(typeof(GpuElementwiseTests), "ReluBackwardAccumulate", new[] { "ld.global.f32" })]
    [InlineData(typeof(GpuElementwiseTests), "CopyAccumulate", new[] { "add.f32" })]
    [InlineData(typeof(GpuDropoutTests), "Backward", new[] { "mul.lo.s64" })]
    [InlineData(typeof(GpuMovingAverage), nameof(GpuMovingAverage.Blend), new[] { "mul.f32" })]
    [InlineData(typeof(GpuMovingAverage), nameof(GpuMovingAverage.Swap), new[] { "st.global.f32" })]
    public void CompilesForSm80(Type type, string kernel, string[] instructions)
    {
        string ptx = PtxCompiler.Compile(type, kernel);
        // A function ILGPU could not compile becomes an extern declaration, which the driver's JIT cannot link.
        Assert.False(ptx.Contains(".extern", StringComparison.Ordinal), $"{kernel}: its PTX calls an external function:\n{ptx}");
        foreach (string instruction in instructions)
        {
            Assert.True(ptx.Contains(instruction, StringComparison.Ordinal), $"{kernel}: no {instruction} in its PTX:\n{ptx}");
        }
    }
}
