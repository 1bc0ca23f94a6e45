namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// XC0010, XC0012, XC0015, XC0016, XC0019: the network, input and option declarations. A missing declaration has no
/// place of its own and is reported at the start of the file.
/// </summary>
public sealed class DeclarationTests
{
    [Fact]
    [Trait("Diagnostic", "XC0010")]
    public void AModelWithoutAnInputDeclarationIsReportedAtTheStartOfTheFile()
    {
        string model = SmallModel.With("input 3 x 16 x 16\n", string.Empty);

        DiagnosticAssert.Single(model, "XC0010", 1, 1, "declares no input", "input 3 x 299 x 299");
    }

    [Fact]
    [Trait("Diagnostic", "XC0012")]
    public void AModelWithoutANetworkDeclarationIsReportedAtTheStartOfTheFile()
    {
        string model = SmallModel.With("network Small\n", string.Empty);

        DiagnosticAssert.Single(model, "XC0012", 1, 1, "declares no network", "network MyNet");
    }

    [Fact]
    [Trait("Diagnostic", "XC0012")]
    public void AnEmptyFileGivesOneDiagnostic()
    {
        DiagnosticAssert.Single(string.Empty, "XC0012", 1, 1, "declares no network");
    }

    [Fact]
    [Trait("Diagnostic", "XC0012")]
    public void AFileWithOnlyCommentsGivesOneDiagnostic()
    {
        string model = DiagnosticAssert.Lines("# A model file", "#", "   # still nothing", string.Empty);

        DiagnosticAssert.Single(model, "XC0012", 1, 1, "declares no network");
    }

    [Fact]
    [Trait("Diagnostic", "XC0012")]
    public void AFileWithOnlyBlankLinesGivesOneDiagnostic()
    {
        DiagnosticAssert.Single("\n\n   \n\t\r\n", "XC0012", 1, 1, "declares no network");
    }

    [Fact]
    [Trait("Diagnostic", "XC0015")]
    public void ANetworkWithOnlyItsDeclarationsIsReportedAtItsName()
    {
        string model = DiagnosticAssert.Lines("network Small", "input 3 x 16 x 16");

        DiagnosticAssert.Single(model, "XC0015", 1, 9, "The network 'Small' has no layers");
    }

    [Fact]
    [Trait("Diagnostic", "XC0015")]
    public void ANetworkWithBlocksButNoLayersIsReportedAtItsName()
    {
        string model = SmallModel.Text[..SmallModel.Text.IndexOf("stem:", StringComparison.Ordinal)];

        DiagnosticAssert.Single(model, "XC0015", 1, 9, "'Small' has no layers");
    }

    [Fact]
    [Trait("Diagnostic", "XC0016")]
    public void AnUnknownOptionListsTheOptions()
    {
        string model = SmallModel.With("input 3 x 16 x 16\n\n", "input 3 x 16 x 16\noption bn_epss = 0.01\n");

        DiagnosticAssert.Single(model, "XC0016", 3, 8, "Unknown option 'bn_epss'", "bn_eps, bn_momentum");
    }

    [Fact]
    [Trait("Diagnostic", "XC0019")]
    public void ALowerCaseNetworkNameIsReportedAtTheName()
    {
        string model = SmallModel.With("network Small", "network small");

        DiagnosticAssert.Single(model, "XC0019", 1, 9, "'small' cannot be a C# class name", "upper-case");
    }

    [Fact]
    [Trait("Diagnostic", "XC0019")]
    public void ACSharpKeywordAsNetworkNameIsReportedAtTheName()
    {
        string model = SmallModel.With("network Small", "network class");

        DiagnosticAssert.Single(model, "XC0019", 1, 9, "'class' cannot be a C# class name", "C# keyword");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ASecondNetworkDeclarationIsReportedAtTheSecond()
    {
        string model = SmallModel.With("input 3 x 16 x 16\n\n", "input 3 x 16 x 16\nnetwork Other\n");

        DiagnosticAssert.Single(model, "XC0007", 3, 1, "'network' is defined twice: first at line 1");
    }

    [Fact]
    [Trait("Diagnostic", "XC0007")]
    public void ASecondInputDeclarationIsReportedAtTheSecond()
    {
        string model = SmallModel.With("input 3 x 16 x 16\n\n", "input 3 x 16 x 16\ninput 1 x 8 x 8\n");

        DiagnosticAssert.Single(model, "XC0007", 3, 1, "'input' is defined twice: first at line 2");
    }
}
