namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>XC0008, XC0009 and XC0014: shape inference errors name both shapes and point at the op that cannot take its input.</summary>
public sealed class ShapeTests
{
    [Fact]
    [Trait("Diagnostic", "XC0008")]
    public void AChannelMismatchAtAResidualAddNamesBothShapes()
    {
        // mid1..mid2 expands the residual twice; the first failure stops the second, so there is one diagnostic.
        string model = SmallModel.With("sep(16)])", "sep(32)])");

        DiagnosticAssert.Single(model, "XC0008", 11, 13, "Residual add of 32x8x8 and 16x8x8");
    }

    [Fact]
    [Trait("Diagnostic", "XC0008")]
    public void ASpatialMismatchBetweenTwoBranchesIsReportedAtTheResidualInTheBlock()
    {
        string model = SmallModel.With("skip: conv(c, k=1, s=2)", "skip: conv(c, k=1, s=1)");

        DiagnosticAssert.Single(model, "XC0008", 5, 30, "Residual add of 16x16x16 and 16x8x8");
    }

    [Fact]
    [Trait("Diagnostic", "XC0009")]
    public void AKernelLargerThanTheInputIsReportedAtTheConv()
    {
        string model = SmallModel.With("stem: conv(8, k=3, pad=1)", "stem: conv(8, k=17)");

        DiagnosticAssert.Single(model, "XC0009", 9, 7, "'conv' turns a 3x16x16 input into 8x0x0");
    }

    [Fact]
    [Trait("Diagnostic", "XC0009")]
    public void AMaxPoolThatShrinksTheInputToNothingIsReportedAtTheMaxPool()
    {
        string model = SmallModel.With(("input 3 x 16 x 16", "input 3 x 2 x 2"), ("maxpool(k=3, s=2, pad=1)", "maxpool(k=3, s=2)"));

        DiagnosticAssert.Single(model, "XC0009", 7, 48, "'maxpool' turns a 16x2x2 input into 16x0x0", "reaches zero");
    }

    [Fact]
    [Trait("Diagnostic", "XC0014")]
    public void DenseOnAnImageIsReportedAtTheDenseWithTheShape()
    {
        string model = SmallModel.With("head: [global_avg_pool, dropout(0.25)]", "head: [dropout(0.25)]");

        DiagnosticAssert.Single(model, "XC0014", 13, 5, "dense needs a vector input but gets 16x8x8", "add global_avg_pool");
    }
}
