using System;
using System.Collections.Generic;
using System.Linq;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>"Did you mean" hints for misspelled names, by edit distance.</summary>
    internal static class Suggestions
    {
        /// <summary>Longer names get no suggestion: comparing two names costs the product of their lengths.</summary>
        private const int MaxNameLength = 100;

        public static string DidYouMean(string name, IEnumerable<string> candidates)
        {
            if (name.Length > MaxNameLength)
            {
                return string.Empty;
            }

            int limit = Math.Max(1, name.Length / 3);
            string? best = candidates
                .Where(c => Math.Abs(c.Length - name.Length) <= limit) // the distance is at least the difference in length
                .Select(c => (Candidate: c, Distance: Distance(name, c)))
                .Where(c => c.Distance <= limit)
                .OrderBy(c => c.Distance)
                .Select(c => c.Candidate)
                .FirstOrDefault();
            return best is null ? string.Empty : " (did you mean '" + best + "'?)";
        }

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                    current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }
}
