using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;

namespace XceptionCompiler.Reference.Oracle;

/// <summary>The two files of one oracle case: the weights before the forward, and inputs, outputs and gradients.</summary>
public sealed record OracleCaseFiles(string Case, string WeightsPath, string IoPath);

/// <summary>
/// Runs tests/oracle/pytorch_oracle.py (Debian's python3-torch, CPU) and caches its outputs under
/// <c>{temp}/xception-oracle/{hash of the script}/</c>, so each case is computed once per script version on a machine.
/// Safe across threads (one computation per case per process) and across processes (a lock file per case;
/// the script writes each file by rename, so a file that exists is complete).
/// </summary>
public static class PyTorchOracle
{
    /// <summary>The cases the script knows; see tests/oracle/README.md.</summary>
    public static IReadOnlyList<string> Cases { get; } = ["xception_eval", "xception_train", "fashion_eval", "fashion_train"];

    /// <summary>The interpreter; override with XCEPTION_PYTHON.</summary>
    public static string Python => Environment.GetEnvironmentVariable("XCEPTION_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    private const string InstallHint = "the PyTorch oracle needs Python 3 with torch: apt-get install python3-torch (or set XCEPTION_PYTHON to an interpreter that has torch)";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<string> Cache = new(() => Path.Combine(Path.GetTempPath(), "xception-oracle", HashScript()));
    private static readonly ConcurrentDictionary<string, Lazy<OracleCaseFiles>> Computed = new();

    /// <summary>The folder holding XceptionCompiler.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    public static string ScriptPath => Path.Combine(RepositoryRoot, "tests", "oracle", "pytorch_oracle.py");

    /// <summary>Where this script version's outputs are cached.</summary>
    public static string CacheDirectory => Cache.Value;

    /// <summary>
    /// The files of one case, computing them on first use. <paramref name="precision"/> is the oracle's compute
    /// precision ("float32" or "float64"); weights, inputs and outputs are float32 either way, so a float64 case is
    /// the exact answer for the same float32 data.
    /// </summary>
    public static OracleCaseFiles GetCase(string name, string precision = "float32")
    {
        if (!Cases.Contains(name))
            throw new ArgumentException($"unknown oracle case '{name}' (known: {string.Join(", ", Cases)})", nameof(name));
        if (precision is not ("float32" or "float64"))
            throw new ArgumentException($"unknown oracle precision '{precision}' (float32 or float64)", nameof(precision));
        return Computed.GetOrAdd(name + "/" + precision, _ => new Lazy<OracleCaseFiles>(() => ComputeOnce(name, precision))).Value;
    }

    /// <summary>Runs the oracle script with these arguments from the repository root and returns its standard output.</summary>
    public static string Run(params string[] arguments)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} not found: {InstallHint}");
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScriptPath);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1"; // no __pycache__ in the source tree
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{ScriptPath} {string.Join(' ', arguments)} did not finish in {Timeout.TotalMinutes} minutes");
        }
        var error = stderr.Result;
        if (process.ExitCode != 0)
        {
            if (error.Contains("No module named 'torch'", StringComparison.Ordinal))
                throw new InvalidOperationException($"{Python} has no torch module: {InstallHint}");
            throw new InvalidOperationException($"{ScriptPath} {string.Join(' ', arguments)} exited with {process.ExitCode}:{Environment.NewLine}{Tail(error + stdout.Result)}");
        }
        return stdout.Result;
    }

    private static OracleCaseFiles ComputeOnce(string name, string precision)
    {
        // float32 cases sit in the cache directory itself, other precisions in a subfolder named after them.
        string directory = precision == "float32" ? CacheDirectory : Path.Combine(CacheDirectory, precision);
        Directory.CreateDirectory(directory);
        var files = new OracleCaseFiles(name,
            Path.Combine(directory, $"{name}.weights.safetensors"),
            Path.Combine(directory, $"{name}.io.safetensors"));
        using var _ = LockFile(Path.Combine(directory, $"{name}.lock"));
        if (!File.Exists(files.WeightsPath) || !File.Exists(files.IoPath))
            Run("--out", directory, "--case", name, "--precision", precision);
        return files;
    }

    /// <summary>An exclusive lock held while the file stays open (FileShare.None takes an flock on Unix).</summary>
    private static FileStream LockFile(string path)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XceptionCompiler.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no XceptionCompiler.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Outputs depend only on the script, so its content names the cache.</summary>
    private static string HashScript() =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(ScriptPath)))[..16];

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];
}
