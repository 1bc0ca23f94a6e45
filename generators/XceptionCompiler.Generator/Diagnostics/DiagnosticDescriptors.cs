using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace XceptionCompiler.Generator.Diagnostics
{
    /// <summary>Every diagnostic the generator reports. Ids are tracked in AnalyzerReleases.*.md.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "XceptionCompiler.ModelFile";

        public static readonly DiagnosticDescriptor SyntaxError = Error(
            "XC0001", "Syntax error in model file", "{0}");

        public static readonly DiagnosticDescriptor UnknownOp = Error(
            "XC0002", "Unknown op or block", "Unknown op or block '{0}'{1}");

        public static readonly DiagnosticDescriptor UnknownArgument = Error(
            "XC0003", "Unknown argument", "'{0}' has no argument '{1}'; it takes: {2}");

        public static readonly DiagnosticDescriptor BadValue = Error(
            "XC0004", "Bad argument value", "Bad value for '{1}' of '{0}': {2}");

        public static readonly DiagnosticDescriptor MissingValue = Error(
            "XC0005", "Missing argument", "'{0}' needs a value for '{1}'");

        public static readonly DiagnosticDescriptor UndefinedName = Error(
            "XC0006", "Undefined name", "'{0}' is not defined{1}");

        public static readonly DiagnosticDescriptor DuplicateName = Error(
            "XC0007", "Duplicate name", "'{0}' is defined twice: {1}");

        public static readonly DiagnosticDescriptor ResidualShapeMismatch = Error(
            "XC0008", "Residual branches disagree", "Residual add of {0} and {1}: both branches must produce the same channels x height x width");

        public static readonly DiagnosticDescriptor SpatialSizeExhausted = Error(
            "XC0009", "Spatial size reaches zero", "'{0}' turns a {1} input into {2}: the spatial size reaches zero");

        public static readonly DiagnosticDescriptor MissingInput = Error(
            "XC0010", "Missing input declaration", "The model file declares no input; add a line such as 'input 3 x 299 x 299'");

        public static readonly DiagnosticDescriptor RecursiveBlock = Error(
            "XC0011", "Recursive block", "Block '{0}' calls itself ({1}); blocks cannot recurse");

        public static readonly DiagnosticDescriptor MissingNetwork = Error(
            "XC0012", "Missing network declaration", "The model file declares no network; add a first line such as 'network MyNet'");

        public static readonly DiagnosticDescriptor UnnamedParameters = Error(
            "XC0013", "Op with parameters needs a name", "'{0}' has parameters and needs a name: write 'name: {0}(...)' or put it inside a [list]");

        public static readonly DiagnosticDescriptor DenseNeedsVector = Error(
            "XC0014", "Dense needs a vector", "dense needs a vector input but gets {0}; add global_avg_pool before it");

        public static readonly DiagnosticDescriptor EmptyNetwork = Error(
            "XC0015", "Network has no layers", "The network '{0}' has no layers");

        public static readonly DiagnosticDescriptor UnknownOption = Error(
            "XC0016", "Unknown option", "Unknown option '{0}'; the options are: {1}");

        public static readonly DiagnosticDescriptor BadLabelRange = Error(
            "XC0017", "Bad label range", "Bad label range '{0}': {1}");

        public static readonly DiagnosticDescriptor ArgumentCount = Error(
            "XC0018", "Wrong number of arguments", "'{0}' takes {1} positional argument(s) but got {2}");

        public static readonly DiagnosticDescriptor InvalidNetworkName = Error(
            "XC0019", "Invalid network name", "'{0}' cannot be a C# class name: {1}");

        public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
            "XC0020", "Network too large", "The network is past the compiler's limits: {0}; check the repeat counts, label ranges and block nesting");

        public static readonly DiagnosticDescriptor InternalError = Error(
            "XC9999", "Internal generator error", "Internal error in the XceptionCompiler generator: {0}; please report it with the model file");

        private static readonly Dictionary<string, DiagnosticDescriptor> All = typeof(DiagnosticDescriptors)
            .GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null))
            .ToDictionary(d => d.Id);

        public static DiagnosticDescriptor ById(string id) => All[id];

        public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Values;

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
