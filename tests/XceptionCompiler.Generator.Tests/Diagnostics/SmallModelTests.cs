namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>The model the diagnostic tests break is itself valid, so each test's diagnostic comes from its one mistake.</summary>
public sealed class SmallModelTests
{
    [Fact]
    public void TheSmallModelGeneratesSourceWithoutDiagnostics()
    {
        var diagnostics = DiagnosticAssert.Run(SmallModel.Text, out var outcome);

        Assert.True(diagnostics.IsEmpty, "the small model should be valid but reports:\n" + DiagnosticAssert.Describe(diagnostics));
        Assert.Equal(["Small.Backward.g.cs", "Small.Forward.g.cs", "Small.Gpu.g.cs", "Small.Kernels.g.cs", "Small.Layout.g.cs"], outcome.Sources.Keys.Order(StringComparer.Ordinal));
    }
}
