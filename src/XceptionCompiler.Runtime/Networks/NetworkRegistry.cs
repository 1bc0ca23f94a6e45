using System.Collections.Concurrent;

namespace XceptionCompiler.Runtime.Networks;

/// <summary>
/// Compiled networks by name. Each generated class registers itself from a module initializer, so any assembly
/// that holds model files makes its networks available to the CLI and tools once it is loaded.
/// </summary>
public static class NetworkRegistry
{
    private static readonly ConcurrentDictionary<string, Func<int, ICompiledNetwork>> Factories = new(StringComparer.OrdinalIgnoreCase);

    public static void Register(string name, Func<int, ICompiledNetwork> factory) => Factories[name] = factory;

    public static IReadOnlyCollection<string> Names => Factories.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();

    /// <summary>Creates a network for up to <paramref name="maxBatch"/> images; an unknown name lists the known ones.</summary>
    public static ICompiledNetwork Create(string name, int maxBatch)
    {
        if (!Factories.TryGetValue(name, out var factory))
        {
            string known = Factories.IsEmpty ? "none are loaded" : "known: " + string.Join(", ", Names);
            throw new KeyNotFoundException($"No compiled network named '{name}' ({known})");
        }

        return factory(maxBatch);
    }
}
