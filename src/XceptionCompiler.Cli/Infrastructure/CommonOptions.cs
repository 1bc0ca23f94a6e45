using System.CommandLine;

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

    /// <summary>A required file path; kept as the user typed it so messages show the same path.</summary>
    public static Option<string> File(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "FILE",
        Required = true,
    };
}
