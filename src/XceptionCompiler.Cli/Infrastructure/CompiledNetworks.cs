using System.Runtime.CompilerServices;
using XceptionCompiler.Models;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>
/// The networks the CLI knows: those compiled into XceptionCompiler.Models, which register themselves in
/// <see cref="NetworkRegistry"/> from a module initializer. That initializer runs only once something touches the
/// Models assembly, so this class runs it explicitly before any lookup.
/// </summary>
internal static class CompiledNetworks
{
    static CompiledNetworks() => RuntimeHelpers.RunModuleConstructor(typeof(Xception).Module.ModuleHandle);

    /// <summary>Registered names, sorted.</summary>
    public static IReadOnlyCollection<string> Names => NetworkRegistry.Names;

    /// <summary>Creates a network for up to <paramref name="maxBatch"/> images; an unknown name is a usage error listing the known ones.</summary>
    public static ICompiledNetwork Create(string name, int maxBatch)
    {
        Require(name);
        return NetworkRegistry.Create(name, maxBatch);
    }

    /// <summary>
    /// The registered network a config's model key names: MindCV writes snake_case (fashion_xception) where the
    /// class is FashionXception, so underscores and case are ignored.
    /// </summary>
    public static string FromConfig(string model)
    {
        string key = model.Replace("_", string.Empty, StringComparison.Ordinal);
        return Names.FirstOrDefault(name => name.Equals(key, StringComparison.OrdinalIgnoreCase))
            ?? throw CliException.Usage($"model '{model}' is not a compiled network; known models: {string.Join(", ", Names)}");
    }

    /// <summary>Fails (usage error) unless a network of this name (any case) is registered; call it before reading any file.</summary>
    public static void Require(string name)
    {
        if (!Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw CliException.Usage($"unknown model '{name}'; known models: {string.Join(", ", Names)}");
    }
}
