using System.Runtime.CompilerServices;
using XceptionCompiler.Models;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Tests.Infrastructure;

/// <summary>The networks compiled into XceptionCompiler.Models, for checking the lists error messages give.</summary>
public static class KnownModels
{
    /// <summary>Every registered name; the three shipped networks must be among them.</summary>
    public static IReadOnlyCollection<string> Names
    {
        get
        {
            RuntimeHelpers.RunModuleConstructor(typeof(Xception).Module.ModuleHandle);
            return NetworkRegistry.Names;
        }
    }

    /// <summary>Fails unless <paramref name="text"/> lists every known model, sorted, after "known models: ".</summary>
    public static void AssertListed(string text)
    {
        Assert.Subset(Names.ToHashSet(), new HashSet<string> { "FashionXception", "Tiny", "Xception" });
        Assert.Contains("known models: " + string.Join(", ", Names), text);
    }
}
