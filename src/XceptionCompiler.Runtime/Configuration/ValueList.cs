using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// An immutable list with value equality, so a <see cref="TrainConfig"/> holding lists (scale, mean, milestones)
/// still compares by value like the record it is. Build one with a collection expression: <c>[0.08, 1.0]</c>.
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    internal ValueList(T[] items) => _items = items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    /// <summary>As YAML's flow style writes it: [0.08, 1].</summary>
    public override string ToString() =>
        "[" + string.Join(", ", _items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))) + "]";
}

/// <summary>The collection-expression builder of <see cref="ValueList{T}"/>.</summary>
public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());
}
