using System.Text;

namespace XceptionCompiler.Generator.Tests.Infrastructure;

/// <summary>
/// Expected generated source stored in the repository. A mismatch fails with a line diff; setting the
/// environment variable XC_ACCEPT_GOLDEN=1 rewrites the stored files instead (then review the git diff).
/// </summary>
internal static class GoldenFile
{
    public const string AcceptVariable = "XC_ACCEPT_GOLDEN";

    public static string Directory => Path.Combine(GeneratorHarness.RepositoryRoot, "tests", "XceptionCompiler.Generator.Tests", "Golden");

    public static void Verify(string name, string actual)
    {
        string path = Path.Combine(Directory, name);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, actual);
            return;
        }

        if (!File.Exists(path))
        {
            throw new Xunit.Sdk.XunitException($"Golden file {path} does not exist. Run the tests with {AcceptVariable}=1 to create it, then review it.");
        }

        string expected = File.ReadAllText(path);
        if (expected != actual)
        {
            throw new Xunit.Sdk.XunitException($"Generated {name} differs from the golden file {path}:\n{Diff(expected, actual)}\nIf the change is intended, rerun with {AcceptVariable}=1 and review the git diff.");
        }
    }

    /// <summary>The first differing lines with a little context, marked - (expected) and + (actual).</summary>
    private static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        int first = 0;
        while (first < a.Length && first < b.Length && a[first] == b[first])
        {
            first++;
        }

        var text = new StringBuilder();
        int start = Math.Max(0, first - 3);
        for (int i = start; i < first; i++)
        {
            text.Append("  ").Append(i + 1).Append(": ").AppendLine(a[i]);
        }

        for (int i = first; i < Math.Min(a.Length, first + 8); i++)
        {
            text.Append("- ").Append(i + 1).Append(": ").AppendLine(a[i]);
        }

        for (int i = first; i < Math.Min(b.Length, first + 8); i++)
        {
            text.Append("+ ").Append(i + 1).Append(": ").AppendLine(b[i]);
        }

        text.Append($"(expected {a.Length} lines, got {b.Length})");
        return text.ToString();
    }
}
