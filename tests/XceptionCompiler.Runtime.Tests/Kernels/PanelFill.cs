using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>Packs a whole batch's column space from an <see cref="IPanelSource"/>, as a GEMM would, for panel tests.</summary>
internal static unsafe class PanelFill
{
    /// <summary>
    /// Packs steps pc .. pc+kc of every column of <paramref name="images"/> images of
    /// <paramref name="imageColumns"/> columns, as runs of uneven lengths (each within one image, as the GEMM asks for
    /// them), into panels <paramref name="columns"/> wide that start out NaN: what no run writes stays NaN.
    /// </summary>
    public static float[] Fill<TSource>(TSource source, int images, int imageColumns, int pc, int kc, int columns)
        where TSource : IPanelSource
    {
        int total = images * imageColumns;
        var panels = Enumerable.Repeat(float.NaN, (total + columns - 1) / columns * kc * columns).ToArray();
        int[] lengths = [1, 7, columns, 2 * columns + 3, 5];
        fixed (float* p = panels)
        {
            for (int column = 0, run = 0; column < total; run++)
            {
                int image = column / imageColumns, j = column % imageColumns;
                int count = Math.Min(lengths[run % lengths.Length], imageColumns - j);
                source.Pack(image, j, count, pc, kc, column, columns, p);
                column += count;
            }
        }

        return panels;
    }

    /// <summary>The panels with what no run wrote (NaN) as zero.</summary>
    public static float[] Written(float[] panels) => panels.Select(v => float.IsNaN(v) ? 0f : v).ToArray();
}
