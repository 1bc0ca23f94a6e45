using System.Numerics;
using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Writes one step of consecutive kc x columns B panels column after column: a run of values that crosses from one
/// panel into the next is split there. The position advances by adds, so a producer that writes many short runs
/// (the rows of a depthwise output) divides only once, when the cursor is made. A depthwise sweep can also write its
/// steps straight through it (<see cref="ISweepOutput"/>), when no step crosses a panel.
/// </summary>
internal unsafe struct PanelCursor : ISweepOutput
{
    private readonly int columns;
    private readonly long panelFloats;
    private float* panel;
    private int within;

    /// <summary>A cursor at step <paramref name="p"/> of panel column <paramref name="column"/> (see <see cref="GemmPacking.PanelColumn"/>).</summary>
    public PanelCursor(float* panels, int kc, int columns, int column, int p)
    {
        this.columns = columns;
        panelFloats = (long)kc * columns;
        within = column % columns;
        panel = GemmPacking.PanelColumn(panels, kc, columns, column) - within + p * columns;
    }

    /// <summary>Writes src[0 .. count) at the cursor and moves it past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(float* src, int count)
    {
        while (count > 0)
        {
            int length = Math.Min(columns - within, count);
            GemmPacking.CopyRow(src, panel + within, length, length);
            src += length;
            count -= length;
            within += length;
            if (within == columns)
            {
                within = 0;
                panel += panelFloats;
            }
        }
    }

    /// <summary>
    /// Whether a run written from panel column <paramref name="column"/> on, in steps of <see cref="SamePlane.Step"/>
    /// floats, never has a step cross from one panel into the next: the condition for <see cref="Write(Vector{float}, Vector{float})"/>.
    /// </summary>
    public static bool TakesWholeSteps(int columns, int column) => columns % SamePlane.Step == 0 && column % SamePlane.Step == 0;

    /// <summary>Writes one step at the cursor and moves it past them (see <see cref="TakesWholeSteps"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(Vector<float> first, Vector<float> second)
    {
        first.Store(panel + within);
        second.Store(panel + within + Vector<float>.Count);
        within += 2 * Vector<float>.Count;
        if (within == columns)
        {
            within = 0;
            panel += panelFloats;
        }
    }

    /// <summary>Writes the first <paramref name="count"/> floats of a run's last step at the cursor.</summary>
    public void WriteLast(Vector<float> first, Vector<float> second, int count)
    {
        for (int i = 0; i < count; i++)
        {
            panel[within + i] = i < Vector<float>.Count ? first[i] : second[i - Vector<float>.Count];
        }

        within += count;
    }
}
