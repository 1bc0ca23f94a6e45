using XceptionCompiler.Generator.Syntax;

namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>XC0001: syntax errors point at the offending token, and parsing resumes at the next statement.</summary>
[Trait("Diagnostic", "XC0001")]
public sealed class SyntaxErrorTests
{
    [Fact]
    public void AnUnclosedParenthesisIsReportedAtTheParenthesis()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1) -> stembn: bn -> relu", "stem: conv(8, k=3, pad=1");

        DiagnosticAssert.Single(model, "XC0001", 9, 11, "'(' is never closed");
    }

    [Fact]
    public void AnUnclosedParenthesisAtTheEndOfTheFileIsReportedAtTheParenthesis()
    {
        string model = SmallModel.With("fc: dense(10)", "fc: dense(10");

        DiagnosticAssert.Single(model, "XC0001", 13, 10, "'(' is never closed");
    }

    [Fact]
    public void AClosingParenthesisInACommentDoesNotCloseTheCall()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1) -> stembn: bn -> relu   # 8 x 16 x 16", "stem: conv(8, k=3, pad=1   # pad=1)");

        DiagnosticAssert.Single(model, "XC0001", 9, 11, "'(' is never closed");
    }

    [Fact]
    public void AnUnclosedListIsReportedAtTheBracket()
    {
        string model = SmallModel.With("head: [global_avg_pool, dropout(0.25)]", "head: [global_avg_pool, dropout(0.25)");

        DiagnosticAssert.Single(model, "XC0001", 12, 7, "'[' is never closed");
    }

    [Fact]
    public void AfterAnUnclosedParenthesisTheNextLineIsParsedAsItsOwnStatement()
    {
        string model = SmallModel.With(
            ("stem: conv(8, k=3, pad=1) -> stembn: bn -> relu", "stem: conv(8, k=3, pad=1"),
            ("block1: down(16, lead=false)", "block1: down(16 lead=false)"));

        var diagnostics = DiagnosticAssert.Run(model, out _);

        Assert.Equal(
            ["XC0001 Error models/test.xnet:9:11", "XC0001 Error models/test.xnet:10:17"],
            diagnostics.Select(DiagnosticAssert.Where));
    }

    [Fact]
    public void AStrayCharacterIsReportedWhereItIs()
    {
        string model = SmallModel.With("stembn: bn -> relu", "stembn: bn $ -> relu");

        DiagnosticAssert.Single(model, "XC0001", 9, 41, "Unexpected character '$'");
    }

    [Fact]
    public void ANonAsciiArrowIsAStrayCharacter()
    {
        string model = SmallModel.With("-> stembn", "\u2192 stembn");

        DiagnosticAssert.Single(model, "XC0001", 9, 27, "Unexpected character '\u2192'");
    }

    [Fact]
    public void AnEmojiIsOneStrayCharacterNotTwoHalves()
    {
        string model = SmallModel.With("-> stembn", "\ud83d\ude00 stembn");

        DiagnosticAssert.Single(model, "XC0001", 9, 27, "Unexpected character '\ud83d\ude00'");
    }

    [Fact]
    public void AControlCharacterIsAStrayCharacter()
    {
        string model = SmallModel.With("-> stembn", "\0 stembn");

        DiagnosticAssert.Single(model, "XC0001", 9, 27, "Unexpected character");
    }

    [Fact]
    public void ALabelRangeWithoutAColonIsReportedAtWhatFollowsIt()
    {
        string model = SmallModel.With("mid1..mid2: residual", "mid1..mid2 residual");

        DiagnosticAssert.Single(model, "XC0001", 11, 12, "':' after the label range", "'residual'");
    }

    [Fact]
    public void AMissingCommaIsReportedAtTheNextArgument()
    {
        string model = SmallModel.With("block1: down(16, lead=false)", "block1: down(16 lead=false)");

        DiagnosticAssert.Single(model, "XC0001", 10, 17, "Expected ',' or ')'", "'lead'");
    }

    [Fact]
    public void IndependentErrorsInLinesThreeAndSevenGiveTwoDiagnostics()
    {
        string model = DiagnosticAssert.Lines(
            "network Small",
            "input 3 x 16 x 16",
            "stem: conv(8,, k=3) -> stembn: bn -> relu",
            "a: conv(8)",
            "relu",
            "b: conv(8)",
            "c: conv(8 k=3)",
            "head: [global_avg_pool, dense(10)]");

        var diagnostics = DiagnosticAssert.Run(model, out var outcome);

        Assert.Equal(
            ["XC0001 Error models/test.xnet:3:14", "XC0001 Error models/test.xnet:7:11"],
            diagnostics.Select(DiagnosticAssert.Where));
        Assert.Contains("found ','", diagnostics[0].GetMessage(), StringComparison.Ordinal);
        Assert.Contains("found 'k'", diagnostics[1].GetMessage(), StringComparison.Ordinal);
        Assert.Empty(outcome.Sources);
    }

    [Fact]
    public void TheStatementsAroundAnErrorAreStillParsed()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1)", "stem: conv(8,, k=3, pad=1)");

        var parsed = Parser.Parse(DiagnosticAssert.ModelPath, model);

        Assert.Equal("XC0001 line 9", string.Join(", ", parsed.Errors.Select(e => e.Id + " line " + e.Span.DisplayLine)));
        Assert.NotNull(parsed.Value);
        Assert.Equal([1, 2, 4, 5, 10, 11, 12, 13], parsed.Value.Statements.Select(s => s.Span.DisplayLine));
    }

    [Fact]
    public void BracketsNestedDeeperThanTheLimitAreAnErrorAtTheFirstBracketTooMany()
    {
        int depth = Parser.MaxNesting + 1;
        string model = SmallModel.With("fc: dense(10)", "fc: dense(10) -> x: " + new string('[', depth) + "relu" + new string(']', depth));

        DiagnosticAssert.Single(model, "XC0001", 13, 21 + Parser.MaxNesting, "nest more than " + Parser.MaxNesting);
    }

    [Fact]
    public void BracketsNestedExactlyToTheLimitAreValid()
    {
        int depth = Parser.MaxNesting;
        string model = SmallModel.With("fc: dense(10)", "fc: dense(10) -> x: " + new string('[', depth) + "relu" + new string(']', depth));

        var diagnostics = DiagnosticAssert.Run(model, out var outcome);

        Assert.True(diagnostics.IsEmpty, DiagnosticAssert.Describe(diagnostics));
        Assert.NotEmpty(outcome.Sources);
    }

    [Fact]
    public void ANumberTooLargeForADoubleIsReportedAtTheNumber()
    {
        string model = SmallModel.With("input 3 x 16 x 16", "input 3 x 16 x 1e999");

        DiagnosticAssert.Single(model, "XC0001", 2, 16, "'1e999' is not a usable number");
    }

    [Fact]
    public void ANetworkDeclarationWithoutANameIsReportedAtTheEndOfTheLine()
    {
        string model = SmallModel.With("network Small", "network");

        DiagnosticAssert.Single(model, "XC0001", 1, 8, "Expected a network name", "the end of the line");
    }

    [Fact]
    public void AnInputDeclarationWithoutSizesIsReportedAtTheEndOfTheLine()
    {
        string model = SmallModel.With("input 3 x 16 x 16", "input");

        DiagnosticAssert.Single(model, "XC0001", 2, 6, "Expected the number of input channels");
    }

    [Fact]
    public void AnArrowWithNothingAfterItIsReportedAtTheEndOfTheFile()
    {
        string model = SmallModel.With("fc: dense(10)", "fc: dense(10) ->");

        DiagnosticAssert.Single(model, "XC0001", 13, 17, "the end of the file");
    }
}
