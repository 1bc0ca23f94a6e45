using System.CommandLine;
using System.CommandLine.Parsing;
using XceptionCompiler.Runtime.Configuration;

namespace XceptionCompiler.Cli.Infrastructure;

/// <summary>
/// The training configuration on the command line, as MindCV's train.py takes it: <c>-c/--config FILE</c> for a YAML
/// file, then one flag per key of <see cref="ConfigKeys.All"/> (<c>--batch-size</c>, or MindCV's <c>--batch_size</c>)
/// that overrides the file. Flags are strings checked by <see cref="ConfigLoader"/> while parsing, so a bad value is a
/// usage error worded exactly as the same value in a file would be; a boolean flag alone means True.
/// </summary>
/// <example>
/// <code>
/// var command = new Command("train", "Train a network.");
/// ConfigOptions.AddTo(command);
/// command.SetAction(parse => Trainer.Run(ConfigOptions.Read(parse), parse.InvocationConfiguration.Output));
///
/// // xception train -c configs/xception_fashion_mnist.yaml --epoch-size 2 --lr 0.1 --use_nesterov False
/// </code>
/// Do not add <see cref="CommonOptions.Model"/> to the same command: --model is a key here.
/// </example>
public static class ConfigOptions
{
    /// <summary>The flag naming the YAML file; its short form is -c, as in MindCV.</summary>
    public const string ConfigFlag = "--config";

    /// <summary>Adds --config and one option per configuration key to <paramref name="command"/>.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(new Option<string>(ConfigFlag, "-c")
        {
            Description = "YAML file of configuration keys, as MindCV's configs/*.yaml; the flags below override it.",
            HelpName = "FILE",
        });
        foreach (var key in ConfigKeys.All)
            command.Options.Add(CreateOption(key));
    }

    /// <summary>
    /// The configuration <paramref name="parse"/> asks for: the --config file over the built-in defaults, or
    /// <paramref name="withoutFile"/> (else the built-in defaults) when there is no file; then every key flag given.
    /// A bad file is a <see cref="CliException"/> with exit code 1 naming the file, line and key; a bad flag, exit code 2.
    /// </summary>
    public static TrainConfig Read(ParseResult parse, TrainConfig? withoutFile = null)
    {
        try
        {
            string? path = parse.GetResult(ConfigFlag) is OptionResult { Implicit: false } file ? file.GetValueOrDefault<string>() : null;
            var config = path is null ? withoutFile ?? TrainConfig.Default : ConfigLoader.Load(path);

            // Flags as typed (--batch_size or --batch-size), so errors name the one the user wrote.
            var overrides = new Dictionary<string, string>();
            foreach (var key in ConfigKeys.All)
            {
                if (parse.GetResult(key.Flag) is OptionResult { Implicit: false } given)
                    overrides[FlagUsed(given, key)] = TextOf(given);
            }
            return ConfigLoader.Apply(config, overrides);
        }
        catch (ConfigException e)
        {
            throw e.IsCommandLine ? new CliException(ExitCodes.Usage, e.Message, e) : CliException.Failure(e.Message, e);
        }
    }

    private static Option<string> CreateOption(ConfigKey key)
    {
        string[] aliases = key.UnderscoreFlag == key.Flag ? [] : [key.UnderscoreFlag];
        var option = new Option<string>(key.Flag, aliases)
        {
            Description = $"{key.Description} [{key.Group}; default: {key.DefaultText}]",
            HelpName = HelpName(key),
            // MindCV's str2bool options take nargs='?' with const=True: the flag alone switches the key on.
            Arity = key.IsBoolean ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        };
        option.Validators.Add(result =>
        {
            try
            {
                ConfigLoader.Apply(TrainConfig.Default, new Dictionary<string, string> { [FlagUsed(result, key)] = TextOf(result) });
            }
            catch (ConfigException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }

    private static string TextOf(OptionResult result) => result.Tokens.Count == 0 ? "True" : result.Tokens[0].Value;

    private static string FlagUsed(OptionResult result, ConfigKey key) => result.IdentifierToken?.Value ?? key.Flag;

    /// <summary>The placeholder help shows after the flag: INT, FLOAT, auto|cpu|gpu, MIN,MAX, INT|none.</summary>
    private static string HelpName(ConfigKey key)
    {
        if (key.IsBoolean)
            return "True|False";
        if (key.Choices.Count > 0)
            return key.TypeName.Length <= 32 ? key.TypeName : "NAME";
        if (key.IsList)
            return key.TypeName == "[min, max]" ? "MIN,MAX" : "X,...";
        bool optional = key.TypeName.EndsWith(" or null", StringComparison.Ordinal);
        string type = optional ? key.TypeName[..^" or null".Length] : key.TypeName;
        string name = type switch
        {
            "int" => "INT",
            "float" => "FLOAT",
            "string" => "TEXT",
            "policy" => "POLICY",
            _ => type,
        };
        return optional ? name + "|none" : name;
    }
}
