using System.Collections.Generic;
using System.Linq;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>The built-in ops and the arguments each accepts (positional ones first, in order).</summary>
    internal static class OpSignatures
    {
        public const string Residual = "residual";

        private static readonly Dictionary<string, OpSignature> Signatures = new[]
        {
            new OpSignature("conv", new[] { "channels" }, new[] { "k", "s", "pad", "bias" }),
            new OpSignature("depthwise", new string[0], new[] { "k", "s", "pad" }),
            new OpSignature("separable", new[] { "channels" }, new[] { "k", "s", "pad" }),
            new OpSignature("bn", new string[0], new[] { "eps", "momentum" }),
            new OpSignature("relu", new string[0], new string[0]),
            new OpSignature("maxpool", new string[0], new[] { "k", "s", "pad" }),
            new OpSignature("global_avg_pool", new string[0], new string[0]),
            new OpSignature("dropout", new[] { "p" }, new string[0]),
            new OpSignature("dense", new[] { "units" }, new[] { "bias" }),
            new OpSignature(Residual, new string[0], new string[0]),
        }.ToDictionary(s => s.Name);

        public static bool TryGet(string name, out OpSignature signature) => Signatures.TryGetValue(name, out signature!);

        public static IEnumerable<string> Names => Signatures.Keys;
    }

    internal sealed class OpSignature
    {
        public OpSignature(string name, string[] positional, string[] namedOnly)
        {
            Name = name;
            Positional = positional;
            All = positional.Concat(namedOnly).ToArray();
        }

        public string Name { get; }

        /// <summary>Arguments that may be given by position, in order.</summary>
        public string[] Positional { get; }

        /// <summary>Every argument name.</summary>
        public string[] All { get; }

        public string Describe() => All.Length == 0 ? "no arguments" : string.Join(", ", All);
    }
}
