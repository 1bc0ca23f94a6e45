namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>XC0002 and XC0003: a misspelled op, block or argument name, reported at the name with a suggestion when one is close.</summary>
public sealed class UnknownOpAndArgumentTests
{
    [Fact]
    [Trait("Diagnostic", "XC0002")]
    public void AMisspelledOpSuggestsTheOp()
    {
        string model = SmallModel.With("stem: conv(8", "stem: convv(8");

        DiagnosticAssert.Single(model, "XC0002", 9, 7, "Unknown op or block 'convv'", "(did you mean 'conv'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0002")]
    public void AMisspelledOpInABlockBodyIsReportedOnceInTheBody()
    {
        string model = SmallModel.With("maxpool(k=3", "maxpol(k=3");

        DiagnosticAssert.Single(model, "XC0002", 7, 48, "'maxpol'", "(did you mean 'maxpool'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0002")]
    public void AMisspelledBlockInsideARangeIsReportedOnceNotOncePerRepetition()
    {
        string model = SmallModel.With("residual(rep: [relu, sep(16)])", "residual(rep: [relu, seq(16)])");

        DiagnosticAssert.Single(model, "XC0002", 11, 34, "'seq'", "(did you mean 'sep'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0002")]
    public void AMisspelledBlockSuggestsTheBlock()
    {
        string model = SmallModel.With("block1: down(16", "block1: dwn(16");

        DiagnosticAssert.Single(model, "XC0002", 10, 9, "'dwn'", "(did you mean 'down'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0002")]
    public void ANameCloseToNothingGetsNoSuggestion()
    {
        string model = SmallModel.With("block1: down(16", "block1: upsample(16");

        var diagnostic = DiagnosticAssert.Single(model, "XC0002", 10, 9);

        Assert.Equal("Unknown op or block 'upsample'", diagnostic.GetMessage());
    }

    [Fact]
    [Trait("Diagnostic", "XC0002")]
    public void ABlockParameterUsedAsALayerIsExplained()
    {
        string model = SmallModel.With("block sep(c) = separable(c) -> bn", "block sep(c) = separable(c) -> c");

        DiagnosticAssert.Single(model, "XC0002", 4, 32, "'c' is a block parameter, a value, not a layer");
    }

    [Fact]
    [Trait("Diagnostic", "XC0003")]
    public void AnUnknownArgumentListsTheArgumentsTheOpTakes()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1)", "stem: conv(8, k=3, strde=1)");

        var diagnostic = DiagnosticAssert.Single(model, "XC0003", 9, 20, "'conv' has no argument 'strde'", "it takes: channels, k, s, pad, bias");

        Assert.DoesNotContain("did you mean", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Diagnostic", "XC0003")]
    public void AnArgumentOneEditAwaySuggestsTheArgument()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1)", "stem: conv(8, k=3, st=1)");

        DiagnosticAssert.Single(model, "XC0003", 9, 20, "'st'", "(did you mean 's'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0003")]
    public void AMisspelledBatchNormArgumentSuggestsTheArgument()
    {
        string model = SmallModel.With("stembn: bn", "stembn: bn(momentun=0.2)");

        DiagnosticAssert.Single(model, "XC0003", 9, 41, "'bn' has no argument 'momentun'", "(did you mean 'momentum'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0003")]
    public void AMisspelledBlockArgumentSuggestsTheParameterAndIsNotAlsoAMissingValue()
    {
        string model = SmallModel.With("down(16, lead=false)", "down(16, leed=false)");

        DiagnosticAssert.Single(model, "XC0003", 10, 18, "'down' has no argument 'leed'; it takes: c, lead", "(did you mean 'lead'?)");
    }

    [Fact]
    [Trait("Diagnostic", "XC0003")]
    public void AnArgumentToAnOpWithoutArgumentsSaysSo()
    {
        string model = SmallModel.With("-> relu   #", "-> relu(x=1)   #");

        DiagnosticAssert.Single(model, "XC0003", 9, 49, "'relu' has no argument 'x'; it takes: no arguments");
    }

    [Fact]
    [Trait("Diagnostic", "XC0003")]
    public void ANamedResidualBranchExplainsTheLabelSyntax()
    {
        string model = SmallModel.With("residual(rep: [relu, sep(16)])", "residual(rep=relu)");

        DiagnosticAssert.Single(model, "XC0003", 11, 22, "'residual' has no argument 'rep'", "write 'label: layers'");
    }
}
