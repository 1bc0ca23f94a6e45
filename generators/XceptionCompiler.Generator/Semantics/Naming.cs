using System.Globalization;

namespace XceptionCompiler.Generator.Semantics
{
    /// <summary>
    /// Where names come from while expanding: the current scope path, and, inside a [list], the position
    /// counter that numbers unlabeled items the way nn.Sequential numbers its children.
    /// </summary>
    internal sealed class Naming
    {
        private readonly Counter? list;

        private Naming(string scope, Counter? list)
        {
            Scope = scope;
            this.list = list;
        }

        public static Naming Root { get; } = new Naming(string.Empty, null);

        public string Scope { get; }

        public bool InList => list is not null;

        /// <summary>A scope named <paramref name="label"/> (a labeled block call or group).</summary>
        public Naming Child(string label) => new Naming(Join(label), null);

        /// <summary>A scope named <paramref name="label"/> whose unlabeled items are numbered (a labeled list).</summary>
        public Naming ChildList(string label) => new Naming(Join(label), new Counter());

        /// <summary>A numbered scope in this scope (an unlabeled list outside any list).</summary>
        public Naming NewList() => new Naming(Scope, new Counter());

        /// <summary>The name of an item labeled <paramref name="label"/>.</summary>
        public string Join(string label) => Scope.Length == 0 ? label : Scope + "." + label;

        /// <summary>Inside a list: the next position's name (consuming it). Outside: null.</summary>
        public string? NextPosition() => list is null ? null : Join((list.Next++).ToString(CultureInfo.InvariantCulture));

        private sealed class Counter
        {
            public int Next { get; set; }
        }
    }
}
