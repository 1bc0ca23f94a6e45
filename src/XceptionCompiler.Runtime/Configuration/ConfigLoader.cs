namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// Reads training configurations as MindCV's train.py does: built-in defaults, then a flat YAML file, then
/// command-line overrides, each later source winning. Every problem found is reported in a
/// <see cref="ConfigException"/> naming the file, line, column and key, or the flag.
/// </summary>
/// <example>
/// <code>
/// var config = ConfigLoader.Load("configs/xception_ascend.yaml");
/// config = ConfigLoader.Apply(config, new Dictionary&lt;string, string&gt; { ["--batch-size"] = "16", ["lr"] = "0.0225" });
/// </code>
/// </example>
public static class ConfigLoader
{
    /// <summary>The file at <paramref name="path"/> over <paramref name="defaults"/> (<see cref="TrainConfig.Default"/> when null).</summary>
    public static TrainConfig Load(string path, TrainConfig? defaults = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException(new ConfigProblem(path, null, null, null, "no such file"), e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(new ConfigProblem(path, null, null, null, $"cannot read the file ({e.Message})"), e);
        }
        return Parse(text, path, defaults);
    }

    /// <summary>
    /// YAML text over <paramref name="defaults"/>; <paramref name="origin"/> names it in errors (a path, or the name of
    /// an embedded resource).
    /// </summary>
    public static TrainConfig Parse(string yaml, string origin, TrainConfig? defaults = null)
    {
        var config = defaults ?? TrainConfig.Default;
        var problems = new List<ConfigProblem>();
        foreach (var entry in YamlConfigReader.Read(new StringReader(yaml), origin))
        {
            var key = ConfigKeys.Find(entry.Key);
            if (key is null)
            {
                problems.Add(new ConfigProblem(origin, entry.Key, (int)entry.KeyStart.Line, (int)entry.KeyStart.Column,
                    "unknown key" + Suggestions.Hint(entry.Key, ConfigKeys.Names)));
                continue;
            }
            var set = key.Set(config, entry.Value);
            if (set.Failed)
                problems.Add(new ConfigProblem(origin, entry.Key, (int)entry.ValueStart.Line, (int)entry.ValueStart.Column, set.Problem!));
            else
                config = set.Value;
        }
        return problems.Count == 0 ? config : throw new ConfigException(problems);
    }

    /// <summary>
    /// <paramref name="config"/> with command-line values applied. Each entry maps a flag as typed
    /// (<c>--batch-size</c> or <c>--batch_size</c>) or a bare key name (<c>batch_size</c>) to its text; errors name the
    /// flag. A boolean given as a bare flag should be passed as "True".
    /// </summary>
    public static TrainConfig Apply(TrainConfig config, IReadOnlyDictionary<string, string> overrides)
    {
        var problems = new List<ConfigProblem>();
        foreach (var (name, text) in overrides)
        {
            string keyName = name.TrimStart('-').Replace('-', '_');
            var key = ConfigKeys.Find(keyName);
            string flag = name.StartsWith('-') ? name : "--" + name.Replace('_', '-');
            if (key is null)
            {
                problems.Add(new ConfigProblem(flag, null, null, null,
                    "unknown option" + Suggestions.Hint(keyName, ConfigKeys.All.Select(k => k.Flag.TrimStart('-')), prefix: "--")));
                continue;
            }
            var set = key.Set(config, CommandLineValue.Parse(text, key.IsList));
            if (set.Failed)
                problems.Add(new ConfigProblem(flag, key.Name, null, null, set.Problem!));
            else
                config = set.Value;
        }
        return problems.Count == 0 ? config : throw new ConfigException(problems);
    }
}
