using System.CommandLine;
using XceptionCompiler.Runtime.Gpu;

namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>Options several commands share, declared once so their names and help read the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>--model NAME: a compiled network (see `xception models`).</summary>
    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "Name of a compiled network (see 'xception models'); case-insensitive.",
        HelpName = "NAME",
        Required = true,
    };

    /// <summary>--device auto|cpu|gpu: where the network runs (auto: a CUDA GPU when one is present).</summary>
    public static Option<string> Device()
    {
        var option = new Option<string>("--device")
        {
            Description = "Where the network runs: auto (a CUDA GPU when present, else the CPU), cpu, or gpu (an error without a CUDA GPU).",
            DefaultValueFactory = _ => "auto",
        };
        option.AcceptOnlyFromAmong("auto", "cpu", "gpu");
        return option;
    }

    /// <summary>The parsed value of <see cref="Device"/>.</summary>
    public static ComputeDevice ParseDevice(string value) => Enum.Parse<ComputeDevice>(value, ignoreCase: true);

    /// <summary>A required file path; kept as the user typed it so messages show the same path.</summary>
    public static Option<string> File(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "FILE",
        Required = true,
    };
}
