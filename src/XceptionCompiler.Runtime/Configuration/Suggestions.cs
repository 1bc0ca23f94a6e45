namespace XceptionCompiler.Runtime.Configuration;

/// <summary>"Did you mean ...?" for a mistyped key or value: the closest known name, if any is close enough.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/>: one that differs only in case or '-' for '_', one made of the
    /// same words in another order (lr_min for min_lr), one within a few typing slips (bacth_size), or the
    /// only one that it begins or that begins it (randaugment, randaug).
    /// </summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string wanted = Normalize(input);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            string name = Normalize(candidate);
            if (name == wanted || SameWords(name, wanted))
                return candidate;
            int distance = Distance(name, wanted);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Longer names tolerate more slips; beyond three the suggestion is more likely wrong than helpful.
        int tolerance = Math.Clamp(wanted.Length / 3, 1, 3);
        if (bestDistance <= tolerance)
            return best;
        // A name cut short or run on (batch for batch_size, randaugment for randaug), when only one fits.
        var prefixed = candidates.Where(c => IsPrefixPair(Normalize(c), wanted)).Take(2).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>"; did you mean 'x'?" to end a message with, or "" when nothing is close.</summary>
    public static string Hint(string input, IEnumerable<string> candidates, string prefix = "") =>
        Closest(input, candidates) is { } match ? $"; did you mean '{prefix}{match}'?" : "";

    private static string Normalize(string name) => name.Trim().TrimStart('-').Replace('-', '_').ToLowerInvariant();

    private static bool IsPrefixPair(string a, string b) =>
        Math.Min(a.Length, b.Length) >= 4 && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal));

    private static bool SameWords(string a, string b) =>
        a.Split('_').Order().SequenceEqual(b.Split('_').Order());

    /// <summary>Edit distance counting an adjacent swap as one edit (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
