using System.Text.RegularExpressions;

namespace XceptionCompiler.Generator.Tests.Fuzz;

/// <summary>One mutated model file: the seed that reproduces it, its text, and the edits made.</summary>
internal sealed record Mutant(int Seed, string Text, IReadOnlyList<string> Edits);

/// <summary>
/// Seeded random edits of a model file, aimed at the lexer, the parser and the semantic checks: characters, tokens,
/// numbers, lines, brackets, odd characters and line endings. The same text and seed always give the same mutant.
/// </summary>
internal static partial class Mutator
{
    /// <summary>Words and punctuation of the language, for insertions.</summary>
    private static readonly string[] Vocabulary =
    [
        "network", "input", "option", "block", "conv", "depthwise", "separable", "bn", "relu", "maxpool", "global_avg_pool",
        "dropout", "dense", "residual", "if", "not", "true", "false", "same", "valid", "k", "s", "pad", "bias", "eps",
        "momentum", "p", "units", "channels", "bn_eps", "x", "sep", "down", "middle", "block4..block11:", "c", "lead",
        "->", "..", ":", ",", "(", ")", "[", "]", "=", "*", ";", "#", "\n", "0", "1", "3", "7", "x 3 x",
    ];

    private static readonly string[] OddNumbers =
        ["0", "-1", "00", "0.5", ".5", "1.", "1e99", "1e999", "1e-400", "2147483648", "99999999999999999999", "65537", "3x3", "1_000"];

    private static readonly string[] OddCharacters =
    [
        "\u00e9", "\u0000", "\t", "\r", "\u200b", "\ufeff", "\u2192", "\ud83d\ude00", "\ud800", "\udc00", "\u0085", "\u2028",
        "\u00a0", "\u0007", "\u007f", "\u0661", "$", "@", "\\", "\"", "'", "{", "}", "`", "~", "!", "?", ".", "-",
    ];

    private static readonly (string Name, Func<string, Random, string> Edit)[] Edits =
    [
        ("delete a character", (text, random) => text.Length == 0 ? text : text.Remove(random.Next(text.Length), 1)),
        ("duplicate a character", (text, random) => text.Length == 0 ? text : DuplicateCharacter(text, random.Next(text.Length))),
        ("swap adjacent characters", (text, random) => text.Length < 2 ? text : SwapAdjacent(text, random.Next(text.Length - 1))),
        ("delete a token", (text, random) => WithToken(text, random, AnyToken, token => string.Empty)),
        ("duplicate a token", (text, random) => WithToken(text, random, AnyToken, token => token.Value + " " + token.Value)),
        ("swap two tokens", SwapTokens),
        ("insert a word of the language", (text, random) => InsertAtTokenBoundary(text, random, Pick(random, Vocabulary))),
        ("replace a name with a word of the language", (text, random) => WithToken(text, random, NameToken, token => Pick(random, Vocabulary))),
        ("replace a number with an odd one", (text, random) => WithToken(text, random, NumberToken, token => Pick(random, OddNumbers))),
        ("truncate the file", (text, random) => text[..random.Next(text.Length + 1)]),
        ("duplicate a line", (text, random) => WithLines(text, random, (lines, i) => lines.Insert(i, lines[i]))),
        ("delete a line", (text, random) => WithLines(text, random, (lines, i) => lines.RemoveAt(i))),
        ("swap two lines", (text, random) => WithLines(text, random, (lines, i) => SwapWithAnother(lines, i, random.Next(lines.Count)))),
        ("delete a bracket", (text, random) => WithToken(text, random, BracketToken, token => string.Empty)),
        ("insert a bracket", (text, random) => text.Insert(random.Next(text.Length + 1), Pick(random, ["(", ")", "[", "]"]))),
        ("insert an odd character", (text, random) => text.Insert(random.Next(text.Length + 1), Pick(random, OddCharacters))),
        ("use CRLF line endings", (text, random) => text.Replace("\n", "\r\n", StringComparison.Ordinal)),
        ("use CR line endings", (text, random) => text.Replace("\n", "\r", StringComparison.Ordinal)),
    ];

    /// <summary>The names of all edits, as they appear in <see cref="Mutant.Edits"/>.</summary>
    public static IEnumerable<string> EditNames => Edits.Select(edit => edit.Name);

    /// <summary>Applies one to three random edits, chosen by <paramref name="seed"/>.</summary>
    public static Mutant Mutate(string text, int seed)
    {
        var random = new Random(seed);
        var applied = new List<string>();
        for (int i = random.Next(1, 4); i > 0; i--)
        {
            (string name, Func<string, Random, string> edit) = Edits[random.Next(Edits.Length)];
            text = edit(text, random);
            applied.Add(name);
        }

        return new Mutant(seed, text, applied);
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|->|\.\.|[^\s]")]
    private static partial Regex TokenPattern();

    private static bool AnyToken(Match token) => true;

    private static bool NameToken(Match token) => char.IsLetter(token.Value[0]) || token.Value[0] == '_';

    private static bool NumberToken(Match token) => char.IsDigit(token.Value[0]);

    private static bool BracketToken(Match token) => token.Value is "(" or ")" or "[" or "]";

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Replaces one random token that <paramref name="filter"/> accepts; the text is unchanged when there is none.</summary>
    private static string WithToken(string text, Random random, Func<Match, bool> filter, Func<Match, string> replacement)
    {
        Match[] tokens = TokenPattern().Matches(text).Where(filter).ToArray();
        if (tokens.Length == 0)
        {
            return text;
        }

        Match token = Pick(random, tokens);
        return string.Concat(text.AsSpan(0, token.Index), replacement(token), text.AsSpan(token.Index + token.Length));
    }

    private static string SwapTokens(string text, Random random)
    {
        Match[] tokens = TokenPattern().Matches(text).ToArray();
        if (tokens.Length < 2)
        {
            return text;
        }

        int a = random.Next(tokens.Length);
        int b = random.Next(tokens.Length);
        (Match first, Match second) = a < b ? (tokens[a], tokens[b]) : (tokens[b], tokens[a]);
        if (first.Index == second.Index)
        {
            return text;
        }

        return string.Concat(
            text[..first.Index],
            second.Value,
            text[(first.Index + first.Length)..second.Index],
            first.Value,
            text[(second.Index + second.Length)..]);
    }

    private static string InsertAtTokenBoundary(string text, Random random, string word)
    {
        Match[] tokens = TokenPattern().Matches(text).ToArray();
        int at = tokens.Length == 0 ? text.Length : random.Next(2) == 0 ? tokens[random.Next(tokens.Length)].Index : text.Length;
        string padded = random.Next(2) == 0 ? " " + word + " " : word;
        return text.Insert(at, padded);
    }

    private static string WithLines(string text, Random random, Action<List<string>, int> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines, random.Next(lines.Count));
        return string.Join("\n", lines);
    }

    private static void SwapWithAnother(List<string> lines, int i, int j) => (lines[i], lines[j]) = (lines[j], lines[i]);

    private static string DuplicateCharacter(string text, int at) => text.Insert(at, text[at].ToString());

    private static string SwapAdjacent(string text, int at) =>
        string.Concat(text.AsSpan(0, at), text[at + 1].ToString(), text[at].ToString(), text.AsSpan(at + 2));
}
