using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// How a safetensors file's tensors line up with a network's: every problem (missing, unknown, wrong shape or dtype),
/// found before anything is copied. Tensors named <c>*.num_batches_tracked</c> (PyTorch's batch-norm counter, which
/// the compiled network does not keep) are ignored.
/// </summary>
internal sealed class CheckpointMatch
{
    /// <summary>How many problems the exception message lists; <see cref="CheckpointException.Problems"/> has all.</summary>
    public const int ListedProblems = 10;

    private const string IgnoredSuffix = ".num_batches_tracked";

    private CheckpointMatch(List<string> problems, int matched, int networkTensors, List<string> unknown)
    {
        Problems = problems;
        Matched = matched;
        NetworkTensors = networkTensors;
        Unknown = unknown;
    }

    public List<string> Problems { get; }

    /// <summary>Network tensors whose name is in the file (right shape or not).</summary>
    public int Matched { get; }

    public int NetworkTensors { get; }

    public List<string> Unknown { get; }

    public static bool IsIgnored(string name) => name.EndsWith(IgnoredSuffix, StringComparison.Ordinal);

    public static CheckpointMatch Find(ICompiledNetwork network, SafeTensorsFile file)
    {
        var problems = new List<string>();
        var unknown = new List<string>();
        var wanted = network.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var matched = 0;
        foreach (var info in file.Tensors)
        {
            if (IsIgnored(info.Name))
                continue;
            if (!wanted.TryGetValue(info.Name, out var tensor))
            {
                unknown.Add(info.Name);
                problems.Add($"unknown tensor '{info.Name}' {info.ShapeText}: the network has no tensor of that name");
                continue;
            }
            matched++;
            if (!info.DType.IsFloat())
                problems.Add($"tensor '{info.Name}' has dtype {info.DType}; the network needs a floating-point type");
            else if (!info.Shape.SequenceEqual(tensor.Shape))
                problems.Add($"tensor '{info.Name}' has shape {info.ShapeText} in the checkpoint but {tensor.ShapeText} in the network"
                    + (info.ElementCount == tensor.Length ? " (same element count: a layout difference, e.g. a depthwise kernel without its singleton axis)" : ""));
        }
        foreach (var tensor in network.Tensors)
        {
            if (!file.Contains(tensor.Name))
                problems.Add($"missing tensor '{tensor.Name}' {tensor.ShapeText}: the checkpoint has no tensor of that name");
        }
        return new CheckpointMatch(problems, matched, network.Tensors.Count, unknown);
    }

    /// <summary>One message: a headline (saying so when the file looks like another model), then the first problems.</summary>
    public CheckpointException ToException(string path, string networkName)
    {
        var lines = new List<string>();
        // Fewer than half the names in common: more likely a different model than a damaged checkpoint.
        if (Matched * 2 < NetworkTensors)
        {
            lines.Add($"this does not look like a checkpoint of network '{networkName}': only {Matched} of its {NetworkTensors} tensor names are in the file"
                + (Unknown.Count > 0 ? $", which has {Unknown.Count} other tensors ({SafeTensorsFile.Preview(Unknown, 3)})" : ""));
            var hint = NamingHint();
            if (hint is not null)
                lines.Add(hint);
        }
        else
        {
            lines.Add($"the checkpoint does not match network '{networkName}' ({Problems.Count} problem{(Problems.Count == 1 ? "" : "s")})");
        }
        lines.AddRange(Problems.Take(ListedProblems).Select(p => "  " + p));
        if (Problems.Count > ListedProblems)
            lines.Add($"  ... and {Problems.Count - ListedProblems} more");
        return new CheckpointException(path, string.Join(Environment.NewLine, lines), Problems);
    }

    /// <summary>The two naming schemes people bring most often from other frameworks.</summary>
    private string? NamingHint()
    {
        if (Unknown.Any(n => n.EndsWith(".gamma", StringComparison.Ordinal) || n.EndsWith(".moving_mean", StringComparison.Ordinal)))
            return "the names look like MindCV's (gamma, beta, moving_mean, moving_variance); this runtime uses timm's state_dict names (weight, bias, running_mean, running_var)";
        if (Unknown.Count > 0 && Unknown.All(n => n.StartsWith("module.", StringComparison.Ordinal)))
            return "every name starts with 'module.': the checkpoint was saved from a DataParallel wrapper; strip that prefix";
        return null;
    }
}
