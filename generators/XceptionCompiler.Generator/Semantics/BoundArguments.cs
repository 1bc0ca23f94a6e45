using System.Collections.Generic;
using System.Globalization;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>
    /// The arguments of one op call, matched to names. Typed getters validate and report a diagnostic at
    /// the argument (or at the call when it is missing) and return null on failure.
    /// </summary>
    internal sealed class BoundArguments
    {
        private readonly string op;
        private readonly SourceSpan callSpan;
        private readonly DiagnosticSink sink;
        private readonly Dictionary<string, Value> values;

        public BoundArguments(string op, SourceSpan callSpan, DiagnosticSink sink, Dictionary<string, Value> values)
        {
            this.op = op;
            this.callSpan = callSpan;
            this.sink = sink;
            this.values = values;
        }

        public int? Int(string name, int? fallback, int min, int max = 1 << 20)
        {
            if (!values.TryGetValue(name, out Value value))
            {
                return fallback ?? Missing<int>(name);
            }

            if (value is NumberValue { IsInteger: true } number && number.Number >= min && number.Number <= max)
            {
                return (int)number.Number;
            }

            return Bad<int>(name, value, "expected a whole number from " + min + " to " + max.ToString(CultureInfo.InvariantCulture));
        }

        public float? Float(string name, float? fallback, double min, double max, bool maxExclusive = false)
        {
            if (!values.TryGetValue(name, out Value value))
            {
                return fallback ?? Missing<float>(name);
            }

            if (value is NumberValue number && number.Number >= min && (maxExclusive ? number.Number < max : number.Number <= max))
            {
                return (float)number.Number;
            }

            string range = "from " + min.ToString(CultureInfo.InvariantCulture) + (maxExclusive ? " up to (not including) " : " to ") + max.ToString(CultureInfo.InvariantCulture);
            return Bad<float>(name, value, "expected a number " + range);
        }

        public bool? Bool(string name, bool fallback)
        {
            if (!values.TryGetValue(name, out Value value))
            {
                return fallback;
            }

            return value is BoolValue flag ? flag.Flag : Bad<bool>(name, value, "expected true or false");
        }

        public PaddingSpec? Padding(string name, PaddingSpec fallback)
        {
            if (!values.TryGetValue(name, out Value value))
            {
                return fallback;
            }

            switch (value)
            {
                case KeywordValue { Keyword: "valid" }:
                    return PaddingSpec.Valid;
                case KeywordValue { Keyword: "same" }:
                    return PaddingSpec.Same;
                case NumberValue { IsInteger: true } number when number.Number >= 0 && number.Number <= 64:
                    return new PaddingSpec(PaddingMode.Explicit, (int)number.Number);
                default:
                    return Bad<PaddingSpec>(name, value, "expected valid, same, or a whole number of pixels from 0 to 64");
            }
        }

        /// <summary>The span to blame for an argument's value (the call when it was not given).</summary>
        public SourceSpan SpanOf(string name) => values.TryGetValue(name, out Value value) ? value.Span : callSpan;

        private T? Missing<T>(string name)
            where T : struct
        {
            sink.Report(DiagnosticDescriptors.MissingValue, callSpan, op, name);
            return null;
        }

        private T? Bad<T>(string name, Value value, string expectation)
            where T : struct
        {
            sink.Report(DiagnosticDescriptors.BadValue, value.Span, op, name, "'" + value.Describe() + "': " + expectation);
            return null;
        }
    }
}
