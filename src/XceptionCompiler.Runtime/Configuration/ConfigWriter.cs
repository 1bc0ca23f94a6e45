using System.Text;

namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// A configuration as a YAML file in MindCV's layout (a comment per group, one key per line), which
/// <see cref="ConfigLoader"/> reads back to an equal <see cref="TrainConfig"/>. Saving the effective configuration
/// beside the checkpoints, as MindCV's save_args does, makes a run repeatable with -c alone.
/// </summary>
public static class ConfigWriter
{
    public static string ToYaml(TrainConfig config)
    {
        var text = new StringBuilder();
        foreach (var group in ConfigGroup.All)
        {
            if (text.Length > 0)
                text.Append('\n');
            text.Append("# ").Append(group).Append('\n');
            foreach (var key in ConfigKeys.All.Where(k => k.Group == group))
                text.Append(key.Name).Append(": ").Append(key.Format(config)).Append('\n');
        }
        return text.ToString();
    }
}
