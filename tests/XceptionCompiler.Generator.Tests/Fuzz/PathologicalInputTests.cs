using XceptionCompiler.Generator.Tests.Infrastructure;

namespace XceptionCompiler.Generator.Tests.Fuzz;

/// <summary>
/// Files built to exhaust the generator: deep nesting, megabyte lines, huge counts. Each must finish in bounded time
/// on a thread-pool thread's stack (a stack overflow would take down the compiler), keep
/// <see cref="GeneratorInvariants"/>, and give the expected diagnostic.
/// </summary>
public sealed class PathologicalInputTests
{
    private const string Header = "network Deep\ninput 1 x 8 x 8\n";
    private const int Deep = 10_000;
    private const int Megabyte = 1 << 20;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, (Func<string> Build, string? ExpectedId)> Files = new()
    {
        ["10,000 nested lists"] = (() => Header + "x: " + Repeat("[", Deep) + "relu" + Repeat("]", Deep), "XC0001"),
        ["10,000 nested groups"] = (() => Header + "x: " + Repeat("(", Deep) + "relu" + Repeat(")", Deep), "XC0001"),
        ["10,000 nested calls"] = (() => Header + "x: " + Repeat("conv(", Deep) + "1" + Repeat(")", Deep), "XC0001"),
        ["10,000 unclosed brackets"] = (() => Header + "x: " + Repeat("[(", Deep / 2), "XC0001"),
        ["10,000 closing brackets"] = (() => Header + "x: relu" + Repeat(")]", Deep / 2), "XC0001"),
        ["10,000 blocks each calling the next"] = (() => Header + string.Concat(Enumerable.Range(0, Deep).Select(i => $"block b{i} = relu -> b{i + 1}\n")) + $"block b{Deep} = relu\nx: b0", "XC0020"),
        ["a 1 MB name"] = (() => Header + "x: " + Repeat("a", Megabyte), "XC0002"),
        ["two 500 KB names one letter apart"] = (() => Header + "block " + Repeat("a", Megabyte / 2) + " = relu\nx: " + Repeat("a", (Megabyte / 2) - 1) + "b", "XC0002"),
        ["a 1 MB chain of layers"] = (() => Header + "relu" + Repeat(" -> relu", Megabyte / 8), "XC0020"),
        ["a 1 MB line of stray characters"] = (() => Header + Repeat("$", Megabyte), "XC0001"),
        ["a 1 MB number"] = (() => Header + "d: dropout(" + Repeat("9", Megabyte) + ")", "XC0001"),
        ["a 1 MB comment after a valid model"] = (() => GeneratorHarness.ReadModel("tiny.xnet") + "\n# " + Repeat("x", Megabyte), null),
        ["half a million blank lines before a mistake"] = (() => Header + Repeat("\n", Megabyte / 2) + "convv", "XC0002"),
        ["100,000 lines with a mistake each"] = (() => Header + Repeat("convv\n", 100_000), "XC0002"),
        ["block4..block999999"] = (() => Header + "block4..block999999: relu", "XC0017"),
        ["a label range with twelve-digit numbers"] = (() => Header + "block4..block999999999999: relu", "XC0017"),
        ["repeats nested to a billion layers"] = (() => Header + "((relu * 1000) * 1000) * 1000", "XC0020"),
        ["repeats nested to a trillion skipped layers"] = (() => Header + "block b(f) = ((((relu if f) * 1000) * 1000) * 1000) * 1000\nx: b(false) -> relu", "XC0020"),
        ["a block call with 50,000 named arguments"] = (() => Header + "block b(" + string.Join(", ", Enumerable.Range(0, 50_000).Select(i => "p" + i)) + ") = relu\nx: b(" + string.Join(", ", Enumerable.Range(0, 50_000).Select(i => $"p{i}=1")) + ")", null),
    };

    public static TheoryData<string> Names => new(Files.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task APathologicalFileFinishesInBoundedTimeWithTheExpectedDiagnostic(string name)
    {
        (Func<string> build, string? expectedId) = Files[name];
        string text = build();

        GeneratorRunOutcome outcome;
        try
        {
            outcome = await GeneratorInvariants.RunBounded(text, Limit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{name}: the generator did not finish within {Limit.TotalSeconds} s");
            return;
        }

        List<string> problems = GeneratorInvariants.Check(text, outcome, compile: false);
        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems.Take(10)));
        string[] ids = outcome.Result.Diagnostics.Select(d => d.Id).Distinct().ToArray();
        if (expectedId is null)
        {
            Assert.True(ids.Length == 0, name + " should be valid but reports " + string.Join(", ", outcome.Result.Diagnostics.Take(5)));
        }
        else
        {
            Assert.True(ids.SequenceEqual([expectedId]), $"{name} should report {expectedId} only, but reports {string.Join(", ", outcome.Result.Diagnostics.Take(5))}");
        }
    }

    private static string Repeat(string text, int count) => new System.Text.StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
