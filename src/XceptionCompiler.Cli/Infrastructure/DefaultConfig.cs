using XceptionCompiler.Runtime.Configuration;

namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>configs/xception_fashion_mnist.yaml, embedded in the executable: what train uses when no --config is given.</summary>
internal static class DefaultConfig
{
    public const string Name = "xception_fashion_mnist.yaml";

    public static TrainConfig Load()
    {
        using Stream stream = typeof(DefaultConfig).Assembly.GetManifestResourceStream(Name)
            ?? throw new InvalidOperationException($"the embedded {Name} is missing from the build");
        using var reader = new StreamReader(stream);
        return ConfigLoader.Parse(reader.ReadToEnd(), "(embedded) configs/" + Name);
    }
}
