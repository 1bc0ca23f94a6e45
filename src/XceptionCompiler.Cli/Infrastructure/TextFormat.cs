using System.Globalization;

namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>Number and shape formatting for tables: invariant culture, thousands separators, shapes as C x H x W.</summary>
internal static class TextFormat
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A per-image shape as the model file writes it: 3 x 299 x 299.</summary>
    public static string Shape(IEnumerable<int> shape) => string.Join(" x ", shape);

    /// <summary>A shape as PyTorch prints it: (4, 1, 28, 28).</summary>
    public static string TupleShape(IReadOnlyCollection<int> shape) =>
        "(" + string.Join(", ", shape) + (shape.Count == 1 ? ",)" : ")");

    /// <summary>Giga (1e9) with two decimals: 8.38 G.</summary>
    public static string Giga(long value) => (value / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G";

    /// <summary>A count with a metric suffix (K, M, G) and three significant digits, for narrow columns.</summary>
    public static string Compact(long value) => value switch
    {
        >= 1_000_000_000 => Significant(value / 1e9) + " G",
        >= 1_000_000 => Significant(value / 1e6) + " M",
        >= 1_000 => Significant(value / 1e3) + " K",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Bytes of <paramref name="floats"/> float32 values in MiB.</summary>
    public static string FloatMebibytes(long floats) => (floats * 4.0 / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static string Significant(double value) =>
        value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
}
