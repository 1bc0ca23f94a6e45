using BenchmarkDotNet.Attributes;

namespace XceptionCompiler.Benchmarks.Infrastructure;

/// <summary>Adds the <see cref="GflopsColumn"/> to a benchmark class's summary.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GflopsColumnAttribute : ColumnConfigBaseAttribute
{
    public GflopsColumnAttribute()
        : base(new GflopsColumn())
    {
    }
}
