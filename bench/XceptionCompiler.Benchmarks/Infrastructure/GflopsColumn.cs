using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace XceptionCompiler.Benchmarks.Infrastructure;

/// <summary>
/// GFLOP/s of each benchmark: the operations its <see cref="IFlopCount"/> parameter names, divided by the mean time
/// (operations per nanosecond are GFLOP/s). Empty for a benchmark without such a parameter.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Floating-point operations per second, from the mean (a multiply-add counts as two)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        IFlopCount? work = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IFlopCount>().FirstOrDefault();
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return work is null || nanoseconds is not > 0 ? "-" : (work.Flops / nanoseconds.Value).ToString("F1", style.CultureInfo ?? CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}
