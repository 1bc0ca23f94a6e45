using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// Passes parser events through and stops at a top-level key seen twice. YamlDotNet's representation model rejects
/// duplicates too, but says only "Duplicate key"; here the error names the key and the line it was first set on.
/// </summary>
internal sealed class DuplicateKeyGuard(IParser inner, string origin) : IParser
{
    private readonly Dictionary<string, Mark> _seen = new(StringComparer.Ordinal);
    private int _depth;
    private bool _rootIsMapping;
    private bool _expectKey;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
            return false;
        switch (inner.Current)
        {
            case DocumentStart:
                _seen.Clear();
                _depth = 0;
                break;
            case MappingStart or SequenceStart:
                if (_depth == 0)
                {
                    _rootIsMapping = inner.Current is MappingStart;
                    _expectKey = true;
                }
                _depth++;
                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                NodeEnded();
                break;
            case Scalar scalar when _depth == 1 && _rootIsMapping && _expectKey:
                if (_seen.TryGetValue(scalar.Value, out var first))
                {
                    throw new ConfigException(new ConfigProblem(origin, scalar.Value, (int)scalar.Start.Line, (int)scalar.Start.Column,
                        $"duplicate key (first set on line {first.Line})"));
                }
                _seen.Add(scalar.Value, scalar.Start);
                NodeEnded();
                break;
            case Scalar or AnchorAlias:
                NodeEnded();
                break;
        }
        return true;
    }

    /// <summary>A whole node directly inside the root mapping ended: keys and values alternate there.</summary>
    private void NodeEnded()
    {
        if (_depth == 1)
            _expectKey = !_expectKey;
    }
}
