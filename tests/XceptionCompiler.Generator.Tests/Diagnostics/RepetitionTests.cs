using XceptionCompiler.Generator.Semantics;

namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>XC0017, XC0020 and repeat counts (XC0004): label ranges and '* n', and the cap on how far they expand.</summary>
public sealed class RepetitionTests
{
    [Fact]
    [Trait("Diagnostic", "XC0017")]
    public void ARangeBetweenDifferentNamesIsReportedAtTheRange()
    {
        string model = SmallModel.With("mid1..mid2:", "block4..blk11:");

        DiagnosticAssert.Single(model, "XC0017", 11, 1, "Bad label range 'block4..blk11'", "same name followed by a number");
    }

    [Fact]
    [Trait("Diagnostic", "XC0017")]
    public void ARangeCountingDownIsReportedAtTheRange()
    {
        string model = SmallModel.With("mid1..mid2:", "block5..block4:");

        DiagnosticAssert.Single(model, "XC0017", 11, 1, "Bad label range 'block5..block4'", "the first number is larger than the last");
    }

    [Fact]
    [Trait("Diagnostic", "XC0017")]
    public void AHugeRangeIsReportedWithoutExpandingIt()
    {
        string model = SmallModel.With("mid1..mid2:", "block4..block999999:");

        DiagnosticAssert.Single(model, "XC0017", 11, 1, "'block4..block999999'", "at most 1000 items");
    }

    [Fact]
    [Trait("Diagnostic", "XC0017")]
    public void OneLabelOnARepeatedItemSuggestsARange()
    {
        string model = SmallModel.With("-> relu   #", "-> act: relu * 2   #");

        DiagnosticAssert.Single(model, "XC0017", 9, 44, "one label cannot name 2 repeated items", "act1..act2");
    }

    [Fact]
    [Trait("Diagnostic", "XC0017")]
    public void ARepeatCountOnALabelRangeIsReportedAtTheCount()
    {
        string model = SmallModel.With("sep(16)])", "sep(16)]) * 2");

        DiagnosticAssert.Single(model, "XC0017", 11, 46, "a label range already repeats the item");
    }

    [Theory]
    [Trait("Diagnostic", "XC0004")]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("1.5")]
    public void ARepeatCountOutsideOneToAThousandIsReportedAtTheCount(string count)
    {
        string model = SmallModel.With("-> relu   #", "-> relu * " + count + "   #");

        DiagnosticAssert.Single(model, "XC0004", 9, 51, "'repeat count'", "'" + count + "': expected a whole number from 1 to 1000");
    }

    [Fact]
    [Trait("Diagnostic", "XC0020")]
    public void ANetworkExpandingPastTheLayerCapIsReportedOnce()
    {
        string model = SmallModel.With("fc: dense(10)", "fc: dense(10) -> big1..big30: [relu * 1000]");

        // Reported at the op that crosses the cap: the relu inside the repeated list.
        DiagnosticAssert.Single(model, "XC0020", 13, 32, "more than " + ModelLowering.MaxNodes + " layers", "repeat counts, label ranges and block nesting");
    }

    [Fact]
    [Trait("Diagnostic", "XC0020")]
    public void BlocksNestedPastTheDepthCapAreReportedOnceAtTheChain()
    {
        var blocks = new System.Text.StringBuilder();
        for (int i = 0; i < ModelLowering.MaxDepth + 10; i++)
        {
            blocks.Append("block b").Append(i).Append(" = b").Append(i + 1).Append('\n');
        }

        blocks.Append("block b").Append(ModelLowering.MaxDepth + 10).Append(" = relu\n");
        string model = "network Deep\ninput 1 x 8 x 8\n" + blocks + "b0\n";

        DiagnosticAssert.Single(model, "XC0020", ModelLowering.MaxDepth + 2, 14, "nest more than " + ModelLowering.MaxDepth + " deep");
    }
}
