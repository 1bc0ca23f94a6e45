namespace XceptionCompiler.Benchmarks.Infrastructure;

/// <summary>A benchmark parameter that knows how many floating-point operations one invocation does (an FMA counts as two).</summary>
public interface IFlopCount
{
    double Flops { get; }
}
