using XceptionCompiler.Generator.Common;

namespace XceptionCompiler.Generator.Plan
{
    /// <summary>
    /// One static memory plan of the activation arena: an allocation per buffer and the floats per image it spans
    /// from offset 0. Immutable and structurally equatable.
    /// </summary>
    internal sealed record ArenaPlan(EquatableArray<Allocation> Allocations, long FloatsPerImage);
}
