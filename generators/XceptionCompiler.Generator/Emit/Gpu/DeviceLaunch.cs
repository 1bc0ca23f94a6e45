using System.Collections.Generic;
using System.Linq;

namespace XceptionCompiler.Generator.Emit.Gpu
{
    /// <summary>A device view a kernel takes: its parameter name in the kernel and the view the launch passes.</summary>
    internal sealed record DeviceView(string Parameter, string Argument);

    /// <summary>
    /// One kernel launch of a fused step on the GPU: the runtime device function (<c>GpuDepthwise.Forward</c>), the views
    /// it reads and writes, and its constants. The generated kernel is the device function with every constant written
    /// in; the launch takes its configuration from <c>&lt;Op&gt;.&lt;Pass&gt;Config(n, sizes)</c>.
    /// </summary>
    /// <param name="Op">The runtime class (GpuConv, GpuDepthwise...).</param>
    /// <param name="Pass">The device function (Forward, BackwardData...).</param>
    /// <param name="Views">The views, in the device function's order.</param>
    /// <param name="Sizes">The size arguments that both the device function and its Config take (a shape struct or ints).</param>
    /// <param name="Flags">Further constant arguments of the device function only (reluInput: true...), or empty.</param>
    /// <param name="Condition">A C# condition the launch runs under (training, DropoutEnabled...), or null.</param>
    /// <param name="Seed">The dropout seed expression the launch passes as the kernel's <c>seed</c>, or null.</param>
    /// <param name="Batched">False for a pass over channels only (a batch norm's affine from running statistics): no n anywhere.</param>
    /// <param name="Config">The configuration method when it is not <c>&lt;Pass&gt;Config</c> (a pass that shares another's launch shape).</param>
    internal sealed record DeviceLaunch(
        string Op,
        string Pass,
        IReadOnlyList<DeviceView> Views,
        string Sizes,
        string Flags,
        string? Condition = null,
        string? Seed = null,
        bool Batched = true,
        string? Config = null)
    {
        /// <summary>The launch configuration expression, e.g. <c>GpuDepthwise.ForwardConfig(n, new DepthwiseShape(...))</c>.</summary>
        public string ConfigCall => Op + "." + (Config ?? Pass + "Config") + "(" + (Batched ? "n, " : string.Empty) + Sizes + ")";

        /// <summary>The device function's constant arguments after n.</summary>
        public string Constants => Flags.Length == 0 ? Sizes : Sizes + ", " + Flags;

        /// <summary>Two launches share one kernel when this is equal: same function, same view roles, same constants.</summary>
        public string KernelKey => Op + "." + Pass + "(" + string.Join(", ", Views.Select(v => v.Parameter)) + ") " + Constants + (Seed is null ? string.Empty : " seeded") + (Batched ? string.Empty : " unbatched");
    }
}
