namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>XC0011: a block that calls itself, directly or through others, is reported once at the call that closes the cycle.</summary>
[Trait("Diagnostic", "XC0011")]
public sealed class RecursiveBlockTests
{
    [Fact]
    public void ABlockCallingItselfIsReportedAtTheRecursiveCall()
    {
        // sep is called four times; the cycle is one mistake.
        string model = SmallModel.With("block sep(c) = separable(c) -> bn", "block sep(c) = separable(c) -> bn -> sep(c)");

        DiagnosticAssert.Single(model, "XC0011", 4, 38, "Block 'sep' calls itself (sep -> sep)");
    }

    [Fact]
    public void TwoBlocksCallingEachOtherAreReportedAtTheCallClosingTheCycle()
    {
        string model = SmallModel.With(
            "input 3 x 16 x 16\n\n",
            "input 3 x 16 x 16\nblock ping(c) = relu -> pong(c)\nblock pong(c) = [relu, ping(c)]\n");

        string withCall = model.Replace("fc: dense(10)", "fc: dense(10) -> game: ping(1)", StringComparison.Ordinal);

        DiagnosticAssert.Single(withCall, "XC0011", 4, 24, "Block 'ping' calls itself (ping -> pong -> ping)");
    }

    [Fact]
    public void ACycleThroughThreeBlocksNamesEveryStep()
    {
        string model = DiagnosticAssert.Lines(
            "network Small",
            "input 3 x 16 x 16",
            "block a = relu -> b",
            "block b = residual(c)",
            "block c = a",
            "x: a");

        DiagnosticAssert.Single(model, "XC0011", 5, 11, "Block 'a' calls itself (a -> b -> c -> a)");
    }
}
