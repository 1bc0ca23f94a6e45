using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// A YAML file as MindCV writes configs: one flat mapping of key: value, values scalars or lists of scalars. Reads it
/// through YamlDotNet's representation model so every key and value keeps its line and column.
/// </summary>
internal static class YamlConfigReader
{
    /// <summary>One <c>key: value</c> line: the key as written, where it is, and its value and where that is.</summary>
    public sealed record Entry(string Key, Mark KeyStart, RawValue Value, Mark ValueStart);

    /// <summary>The file's entries in order; an empty file has none. Throws <see cref="ConfigException"/> for YAML errors.</summary>
    public static IReadOnlyList<Entry> Read(TextReader text, string origin)
    {
        var scanner = new Scanner(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new DuplicateKeyGuard(new Parser(scanner), origin));
        }
        catch (YamlException e)
        {
            throw Malformed(origin, e.Start, e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this, without a position, for a flow list left open across lines; where it
            // stopped is the best position there is.
            throw Malformed(origin, scanner.CurrentPosition, "unexpected text (an unclosed '[' or '{' above?)", e);
        }

        if (stream.Documents.Count == 0)
            return [];
        if (stream.Documents.Count > 1)
            throw Problem(origin, null, stream.Documents[1].RootNode.Start, "more than one YAML document ('---'); a config is one mapping");
        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode mapping => mapping.Children.Select(pair => ToEntry(origin, pair.Key, pair.Value)).ToList(),
            // A file holding only comments loads as an empty plain scalar.
            YamlScalarNode { Value: null or "" } => [],
            var other => throw Problem(origin, null, other.Start, "expected 'key: value' lines at the top level"),
        };
    }

    private static Entry ToEntry(string origin, YamlNode key, YamlNode value)
    {
        if (key is not YamlScalarNode { Value: { Length: > 0 } name })
            throw Problem(origin, null, key.Start, "expected a key name before ':'");
        return new Entry(name, key.Start, ToRaw(value), value.Start);
    }

    private static RawValue ToRaw(YamlNode node) => node switch
    {
        YamlScalarNode scalar when IsString(scalar) => new RawValue.Scalar(scalar.Value ?? "", Quoted: true),
        YamlScalarNode scalar when RawValue.IsNullText(scalar.Value ?? "") => new RawValue.Null(),
        YamlScalarNode scalar => new RawValue.Scalar(scalar.Value!, Quoted: false),
        YamlSequenceNode sequence => new RawValue.Sequence(sequence.Children.Select(ToRaw).ToList()),
        _ => new RawValue.Mapping(),
    };

    /// <summary>Quoted, block (| and >) and !!str scalars are strings whatever they hold; only plain ones may be numbers, booleans or null.</summary>
    private static bool IsString(YamlScalarNode scalar) =>
        scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || scalar.Tag.Equals(StringTag);

    private static readonly TagName StringTag = new("tag:yaml.org,2002:str");

    private static ConfigException Malformed(string origin, Mark at, string message, Exception inner) =>
        new(new ConfigProblem(origin, null, (int)at.Line, (int)at.Column, "malformed YAML: " + message), inner);

    private static ConfigException Problem(string origin, string? key, Mark at, string text) =>
        new(new ConfigProblem(origin, key, (int)at.Line, (int)at.Column, text));
}
