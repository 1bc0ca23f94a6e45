using Microsoft.CodeAnalysis;

namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>A diagnostic's span covers exactly the offending token, whatever the line endings and whitespace around it.</summary>
[Trait("Diagnostic", "XC0002")]
public sealed class PositionTests
{
    [Fact]
    public void TheSpanCoversTheWholeNameAndNothingMore()
    {
        string model = SmallModel.With("stem: conv(8", "stem: convv(8");

        Diagnostic diagnostic = DiagnosticAssert.Single(model, "XC0002", 9, 7, "'convv'");

        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal((8, 11), (span.EndLinePosition.Line, span.EndLinePosition.Character));
        Assert.Equal("convv", model.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void CrLfLineEndingsGiveTheSameLineAndColumn()
    {
        string model = SmallModel.With("stem: conv(8", "stem: convv(8").Replace("\n", "\r\n", StringComparison.Ordinal);

        Diagnostic diagnostic = DiagnosticAssert.Single(model, "XC0002", 9, 7, "'convv'");

        Assert.Equal("convv", model.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void ATabCountsAsOneColumn()
    {
        string model = SmallModel.With("stem: conv(8", "stem:\tconvv(8");

        DiagnosticAssert.Single(model, "XC0002", 9, 7, "'convv'");
    }
}
