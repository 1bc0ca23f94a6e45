using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Common
{
    /// <summary>A pipeline stage's output: a value (null when the stage failed) and the diagnostics it produced.</summary>
    internal sealed record Result<T>(T? Value, EquatableArray<DiagnosticInfo> Errors)
        where T : class;
}
