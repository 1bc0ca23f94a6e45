using System.Globalization;
using System.Text;
using XceptionCompiler.Generator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace XceptionCompiler.Generator.Tests.Fuzz;

/// <summary>
/// Seeded random mutations of the models in models/ (200 each) must all keep <see cref="GeneratorInvariants"/>.
/// Set XNET_FUZZ_SEED to explore other mutants; a failure prints each bad mutant's seed and text.
/// </summary>
public sealed class MutationFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20251130;
    private const int MutantsPerModel = 200;

    /// <summary>Compiling generated code is slow; only this many valid mutants with new generated code are compiled per model.</summary>
    private const int CompiledMutantsPerModel = 4;

    private const int ShownFailures = 5;

    private static readonly TimeSpan PerMutantLimit = TimeSpan.FromSeconds(30);

    private static int BaseSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("XNET_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : DefaultSeed;

    [Theory]
    [InlineData("tiny.xnet", 0)]
    [InlineData("fashion_xception.xnet", 1)]
    [InlineData("xception.xnet", 2)]
    public async Task EveryMutantReportsAnErrorInTheFileOrGeneratesCompilingCode(string file, int modelIndex)
    {
        string original = GeneratorHarness.ReadModel(file);
        int firstSeed = unchecked(BaseSeed + (modelIndex * MutantsPerModel));
        var failures = new List<string>();
        var compiledSources = new HashSet<string>(StringComparer.Ordinal);
        int withErrors = 0;
        for (int i = 0; i < MutantsPerModel; i++)
        {
            Mutant mutant = Mutator.Mutate(original, unchecked(firstSeed + i));
            GeneratorRunOutcome outcome;
            try
            {
                outcome = await GeneratorInvariants.RunBounded(mutant.Text, PerMutantLimit);
            }
            catch (TimeoutException)
            {
                failures.Add(Describe(file, mutant, ["the generator ran for more than " + PerMutantLimit.TotalSeconds + " s"], null));
                break;
            }

            bool valid = outcome.Result.Diagnostics.IsEmpty;
            withErrors += valid ? 0 : 1;
            string generated = string.Concat(outcome.Sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value));
            bool compile = valid && compiledSources.Count < CompiledMutantsPerModel && compiledSources.Add(generated);
            List<string> problems = GeneratorInvariants.Check(mutant.Text, outcome, compile);
            if (problems.Count > 0)
            {
                failures.Add(Describe(file, mutant, problems, outcome));
            }
        }

        output.WriteLine($"{file}: {MutantsPerModel} mutants from seed {firstSeed}: {withErrors} with errors, {MutantsPerModel - withErrors} valid, {compiledSources.Count} compiled");
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} mutant(s) of {file} broke a generator invariant; the first {Math.Min(failures.Count, ShownFailures)}:\n\n" + string.Join("\n\n", failures.Take(ShownFailures)));

        // A fuzzer whose mutants are all broken (or all harmless) tests little.
        Assert.InRange(withErrors, MutantsPerModel / 4, MutantsPerModel - 1);
    }

    [Fact]
    public void TheSeedsUseEveryKindOfEdit()
    {
        string original = GeneratorHarness.ReadModel("tiny.xnet");
        var used = Enumerable.Range(BaseSeed, MutantsPerModel).SelectMany(seed => Mutator.Mutate(original, seed).Edits).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(Mutator.EditNames.Except(used));
    }

    [Fact]
    public void AMutantIsReproducibleFromItsSeed()
    {
        string original = GeneratorHarness.ReadModel("xception.xnet");

        Assert.Equal(Mutator.Mutate(original, 12345).Text, Mutator.Mutate(original, 12345).Text);
        Assert.NotEqual(original, Mutator.Mutate(original, 12345).Text);
    }

    private static string Describe(string file, Mutant mutant, IEnumerable<string> problems, GeneratorRunOutcome? outcome)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"--- mutant seed {mutant.Seed} of {file} (edits: {string.Join(", ", mutant.Edits)}); ")
            .AppendLine(CultureInfo.InvariantCulture, $"reproduce with Mutator.Mutate(GeneratorHarness.ReadModel(\"{file}\"), {mutant.Seed})");
        foreach (string problem in problems)
        {
            text.AppendLine("  problem: " + problem);
        }

        foreach (var diagnostic in outcome?.Result.Diagnostics ?? [])
        {
            text.AppendLine("  diagnostic: " + diagnostic);
        }

        return text.AppendLine("  text (non-ASCII and control characters other than line feeds as \\uXXXX):").Append(Visible(mutant.Text)).ToString();
    }

    private static string Visible(string text)
    {
        var visible = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c == '\n' || (c >= ' ' && c < '\u007f'))
            {
                visible.Append(c);
            }
            else
            {
                visible.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return visible.ToString();
    }
}
