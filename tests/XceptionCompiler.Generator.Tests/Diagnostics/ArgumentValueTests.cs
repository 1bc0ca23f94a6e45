namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// XC0004, XC0005 and XC0018: a bad value is reported at the value as written (for a block, at the call-site
/// argument, not inside the block body); a missing value at the call; a surplus positional argument at itself.
/// </summary>
public sealed class ArgumentValueTests
{
    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void AKernelOfZeroIsReportedAtTheZero()
    {
        string model = SmallModel.With("stem: conv(8, k=3", "stem: conv(8, k=0");

        DiagnosticAssert.Single(model, "XC0004", 9, 17, "Bad value for 'k' of 'conv'", "'0'", "from 1 to 64");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void ADropoutRateOfOneOrMoreIsReportedAtTheRate()
    {
        string model = SmallModel.With("dropout(0.25)", "dropout(1.5)");

        DiagnosticAssert.Single(model, "XC0004", 12, 33, "Bad value for 'p' of 'dropout'", "'1.5'", "up to (not including) 1");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void ANumberWhereAFlagBelongsIsReportedAtTheNumber()
    {
        string model = SmallModel.With("skip: conv(c, k=1, s=2)", "skip: conv(c, k=1, s=2, bias=1)");

        DiagnosticAssert.Single(model, "XC0004", 6, 34, "Bad value for 'bias' of 'conv'", "expected true or false");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void MaxPoolPaddingOverHalfTheKernelIsReportedAtThePadding()
    {
        string model = SmallModel.With("maxpool(k=3, s=2, pad=1)", "maxpool(k=3, s=2, pad=2)");

        DiagnosticAssert.Single(model, "XC0004", 7, 70, "'pad' of 'maxpool'", "at most half the kernel (1)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void ABadBlockArgumentIsReportedOnceAtTheCallSiteLiteral()
    {
        // down passes c to a conv and to two separable convs: one mistake, one diagnostic, at the 0 in the call.
        string model = SmallModel.With("block1: down(16", "block1: down(0");

        DiagnosticAssert.Single(model, "XC0004", 10, 14, "Bad value for 'channels'", "'0'");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void ANumberPassedAsAConditionFlagIsReportedAtTheCallSiteLiteral()
    {
        string model = SmallModel.With("lead=false", "lead=1");

        DiagnosticAssert.Single(model, "XC0004", 10, 23, "Bad value for 'lead' of 'if'", "'1': expected true or false");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void AnArgumentGivenTwiceIsReportedAtTheSecond()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1)", "stem: conv(8, k=3, pad=1, k=5)");

        DiagnosticAssert.Single(model, "XC0004", 9, 27, "Bad value for 'k' of 'conv'", "given twice");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void LayersWhereAValueBelongsAreReportedAtTheLayers()
    {
        string model = SmallModel.With("stem: conv(8, k=3", "stem: conv(relu -> relu, k=3");

        DiagnosticAssert.Single(model, "XC0004", 9, 12, "'channels' of 'conv'", "found layers");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void AnInputSizeOfZeroIsReportedAtTheZero()
    {
        string model = SmallModel.With("input 3 x 16 x 16", "input 3 x 0 x 16");

        DiagnosticAssert.Single(model, "XC0004", 2, 11, "'0' is not a whole number from 1 to 65536");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void AnInputWithTwoSizesIsReportedAtTheInput()
    {
        string model = SmallModel.With("input 3 x 16 x 16", "input 3 x 16");

        DiagnosticAssert.Single(model, "XC0004", 2, 1, "channels x height x width, three numbers");
    }

    [Fact]
    [Trait("Diagnostic", "XC0004")]
    public void AnOptionOutOfRangeIsReportedAtTheValue()
    {
        string model = SmallModel.With("input 3 x 16 x 16\n\n", "input 3 x 16 x 16\noption bn_eps = 2\n");

        DiagnosticAssert.Single(model, "XC0004", 3, 17, "'bn_eps' of 'option'", "between 0 and 1");
    }

    [Fact]
    [Trait("Diagnostic", "XC0005")]
    public void AConvWithoutChannelsIsReportedAtTheCall()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1)", "stem: conv(k=3, pad=1)");

        DiagnosticAssert.Single(model, "XC0005", 9, 7, "'conv' needs a value for 'channels'");
    }

    [Fact]
    [Trait("Diagnostic", "XC0005")]
    public void ADenseWithoutUnitsIsReportedAtTheCall()
    {
        string model = SmallModel.With("fc: dense(10)", "fc: dense");

        DiagnosticAssert.Single(model, "XC0005", 13, 5, "'dense' needs a value for 'units'");
    }

    [Fact]
    [Trait("Diagnostic", "XC0005")]
    public void ABlockCallWithoutARequiredArgumentIsReportedAtTheCall()
    {
        string model = SmallModel.With("block1: down(16, lead=false)", "block1: down(lead=false)");

        DiagnosticAssert.Single(model, "XC0005", 10, 9, "'down' needs a value for 'c'");
    }

    [Fact]
    [Trait("Diagnostic", "XC0018")]
    public void ASurplusPositionalArgumentToAnOpIsReportedAtTheArgument()
    {
        string model = SmallModel.With("stem: conv(8, k=3", "stem: conv(8, 3, k=3");

        DiagnosticAssert.Single(model, "XC0018", 9, 15, "'conv' takes 1 positional argument(s) but got 2");
    }

    [Fact]
    [Trait("Diagnostic", "XC0018")]
    public void ASurplusPositionalArgumentToABlockIsReportedAtTheArgument()
    {
        string model = SmallModel.With("block1: down(16, lead=false)", "block1: down(16, false, 3)");

        DiagnosticAssert.Single(model, "XC0018", 10, 25, "'down' takes 2 positional argument(s) but got 3");
    }

    [Fact]
    [Trait("Diagnostic", "XC0018")]
    public void AResidualWithThreeBranchesIsReportedAtTheResidual()
    {
        string model = SmallModel.With("residual(rep: [relu, sep(16)])", "residual(relu, relu, relu)");

        DiagnosticAssert.Single(model, "XC0018", 11, 13, "'residual' takes 1 or 2 positional argument(s) but got 3");
    }
}
