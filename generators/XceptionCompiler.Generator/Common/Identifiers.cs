using System.Linq;
using System.Text;

namespace XceptionCompiler.Generator.Common
{
    /// <summary>C# identifiers made from module paths.</summary>
    internal static class Identifiers
    {
        /// <summary>block1.rep.0.conv1 -> Block1Rep0Conv1.</summary>
        public static string Pascal(string path) => string.Concat(Parts(path));

        /// <summary>block1.rep.0.conv1.weight -> Block1_Rep_0_Conv1_Weight: keeps the dots visible.</summary>
        public static string Snake(string path) => string.Join("_", Parts(path));

        private static string[] Parts(string path) => path
            .Split('.')
            .Where(part => part.Length > 0)
            .Select(part => Capitalize(Clean(part)))
            .ToArray();

        private static string Clean(string part)
        {
            var builder = new StringBuilder(part.Length);
            bool upperNext = false;
            foreach (char c in part)
            {
                if (c == '_')
                {
                    upperNext = true;
                    continue;
                }

                builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }

            return builder.ToString();
        }

        private static string Capitalize(string part) => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part.Substring(1);
    }
}
