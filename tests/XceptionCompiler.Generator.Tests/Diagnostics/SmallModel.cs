namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// A small valid model in the style of models/xception.xnet. Diagnostic tests make exactly one mistake in it with
/// <see cref="With"/>, so every other line is known to be correct (<see cref="SmallModelTests"/> proves it).
/// Line numbers below are the ones the tests assert.
/// </summary>
internal static class SmallModel
{
    public static readonly string Text = DiagnosticAssert.Lines(
        "network Small",                                                                // 1
        "input 3 x 16 x 16",                                                            // 2
        "",                                                                             // 3
        "block sep(c) = separable(c) -> bn",                                            // 4
        "block down(c, lead = true) = residual(",                                       // 5
        "    skip: conv(c, k=1, s=2) -> skipbn: bn,",                                   // 6
        "    rep:  [relu if lead, sep(c), relu, sep(c), maxpool(k=3, s=2, pad=1)])",    // 7
        "",                                                                             // 8
        "stem: conv(8, k=3, pad=1) -> stembn: bn -> relu   # 8 x 16 x 16",              // 9
        "block1: down(16, lead=false)                      # 16 x 8 x 8",               // 10
        "mid1..mid2: residual(rep: [relu, sep(16)])",                                   // 11
        "head: [global_avg_pool, dropout(0.25)]",                                       // 12
        "fc: dense(10)");                                                               // 13

    /// <summary>The model with the one occurrence of <paramref name="original"/> replaced.</summary>
    public static string With(string original, string replacement) => With((original, replacement));

    /// <summary>The model with several changes, each of text that occurs exactly once.</summary>
    public static string With(params (string Original, string Replacement)[] changes)
    {
        string text = Text;
        foreach ((string original, string replacement) in changes)
        {
            int first = text.IndexOf(original, StringComparison.Ordinal);
            Assert.True(first >= 0 && text.IndexOf(original, first + 1, StringComparison.Ordinal) < 0, $"\"{original}\" must occur exactly once in the small model");
            text = text.Replace(original, replacement, StringComparison.Ordinal);
        }

        return text;
    }
}
