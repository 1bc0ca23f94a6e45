using System.Globalization;

namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// Plain YAML scalars as numbers and booleans, and values written back as YAML text. Invariant culture throughout:
/// a config written on a machine that prints 0,5 must read the same everywhere.
/// </summary>
internal static class YamlScalars
{
    public static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Finite numbers only: a NaN or infinite rate is never what was meant.</summary>
    public static bool TryFloat(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>YAML 1.1's booleans as PyYAML reads them (True, false, yes, off, ...) plus MindCV's str2bool 1 and 0.</summary>
    public static bool TryBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                value = true;
                return true;
            case "false" or "no" or "off" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>True/False as MindCV's files write them.</summary>
    public static string Bool(bool value) => value ? "True" : "False";

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Shortest text that reads back to the same double, always with a '.' or an exponent (1.0, 0.045, 1e-05).</summary>
    public static string Float(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text.Contains('.') || text.Contains('e') ? text : text + ".0";
    }

    /// <summary>Single-quoted, as MindCV's files quote strings; a quote inside is doubled.</summary>
    public static string String(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
