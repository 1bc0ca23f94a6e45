namespace XceptionCompiler.Cli.Benchmarks;

/// <summary>The process's peak resident set (VmHWM in /proc/self/status), as the side-by-side comparison reports it.</summary>
internal static class PeakMemory
{
    public static double Megabytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return double.NaN;
        }

        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}
