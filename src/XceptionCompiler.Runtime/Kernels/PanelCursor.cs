using System.Runtime.CompilerServices;

namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Writes one step of consecutive kc x columns B panels column after column: a run of values that crosses from one
/// panel into the next is split there. The position advances by adds, so a producer that writes many short runs
/// (the rows of a depthwise output) divides only once, when the cursor is made.
/// </summary>
internal unsafe struct PanelCursor
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
}
