using XceptionCompiler.Reference.Oracle;

namespace XceptionCompiler.Runtime.Tests.Configuration;

/// <summary>The YAML files under configs/ at the repository root.</summary>
internal static class ShippedConfigs
{
    public static string Path(string name) => System.IO.Path.Combine(PyTorchOracle.RepositoryRoot, "configs", name);

    public static string Ascend => Path("xception_ascend.yaml");

    public static string FashionMnist => Path("xception_fashion_mnist.yaml");
}
