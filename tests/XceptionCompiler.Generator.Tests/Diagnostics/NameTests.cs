namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// XC0006, XC0007 and XC0013: names that are undefined, defined twice, or missing where an op's parameters need one.
/// Each is reported once at the name, even when a block body is expanded many times.
/// </summary>
public sealed class NameTests
{
    [Fact]
    [Trait("Diagnostic", "XC0006")]
    public void AMisspelledPaddingKeywordSuggestsTheKeyword()
    {
        string model = SmallModel.With("k=3, pad=1)", "k=3, pad=samee)");

        DiagnosticAssert.Single(model, "XC0006", 9, 24, "'samee' is not defined", "(did you mean 'same'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0006")]
    public void AMisspelledParameterInABlockCalledFourTimesIsReportedOnce()
    {
        string model = SmallModel.With("separable(c)", "separable(cc)");

        DiagnosticAssert.Single(model, "XC0006", 4, 26, "'cc' is not defined", "(did you mean 'c'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0006")]
    public void AMisspelledConditionFlagIsReportedAtTheCondition()
    {
        string model = SmallModel.With("relu if lead", "relu if leed");

        DiagnosticAssert.Single(model, "XC0006", 7, 17, "'leed' is not defined", "(did you mean 'lead'?)", "true/false block parameter");
    }

    [Fact]
    [Trait("Diagnostic", "XC0006")]
    public void AMisspelledBooleanSuggestsTheBoolean()
    {
        string model = SmallModel.With("lead=false", "lead=fals");

        DiagnosticAssert.Single(model, "XC0006", 10, 23, "'fals' is not defined", "(did you mean 'false'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ALabelUsedTwiceInOneChainIsReportedAtTheSecond()
    {
        string model = SmallModel.With("stembn: bn", "stem: bn");

        DiagnosticAssert.Single(model, "XC0007", 9, 30, "'stem' is defined twice: first at line 9");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ALayerLabelReusedForAListIsReportedAtTheList()
    {
        string model = SmallModel.With("head: [", "stem: [");

        DiagnosticAssert.Single(model, "XC0007", 12, 1, "'stem' is defined twice: first at line 9");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ABlockCallLabelReusedByARangeIsReportedAtTheRange()
    {
        string model = SmallModel.With("mid1..mid2:", "block1..block2:");

        DiagnosticAssert.Single(model, "XC0007", 11, 1, "'block1' is defined twice: first at line 10");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ABlockDeclaredTwiceIsReportedAtTheSecondName()
    {
        string model = SmallModel.With("input 3 x 16 x 16\n\n", "input 3 x 16 x 16\nblock down(c) = relu\n");

        DiagnosticAssert.Single(model, "XC0007", 5, 7, "'down' is defined twice: first at line 3");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ABlockNamedLikeABuiltInOpIsReportedAtItsName()
    {
        string model = SmallModel.With("input 3 x 16 x 16\n\n", "input 3 x 16 x 16\nblock bn = relu\n");

        DiagnosticAssert.Single(model, "XC0007", 3, 7, "'bn' is defined twice: it is a built-in op");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ABlockParameterDeclaredTwiceIsReportedAtTheSecond()
    {
        string model = SmallModel.With("block sep(c)", "block sep(c, c)");

        DiagnosticAssert.Single(model, "XC0007", 4, 14, "'c' is defined twice: first at line 4");
    }

    [Fact]
    [Trait("Diagnostic", "XC0013")]
    public void AnUnnamedDenseAtTopLevelIsReportedAtTheOp()
    {
        string model = SmallModel.With("fc: dense(10)", "dense(10)");

        DiagnosticAssert.Single(model, "XC0013", 13, 1, "'dense' has parameters and needs a name", "name: dense(...)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0013")]
    public void AnUnnamedBatchNormInAChainIsReportedAtTheOp()
    {
        string model = SmallModel.With("-> stembn: bn ->", "-> bn ->");

        DiagnosticAssert.Single(model, "XC0013", 9, 30, "'bn' has parameters and needs a name");
    }
}
