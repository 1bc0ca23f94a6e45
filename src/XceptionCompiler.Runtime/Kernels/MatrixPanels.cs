namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// B panels copied from a matrix per image, B_i = b + i * StrideB, where op(B)(p, j) = transB ? b[j*ldb + p] :
/// b[p*ldb + j]: the ordinary GEMM operand.
/// </summary>
internal readonly unsafe struct MatrixPanels : IPanelSource
{
    private readonly float* b;
    private readonly int ldb;
    private readonly bool transB;
    private readonly long strideB;

    public MatrixPanels(float* b, int ldb, bool transB, long strideB)
    {
        this.b = b;
        this.ldb = ldb;
        this.transB = transB;
        this.strideB = strideB;
    }

    public void Pack(int image, int j, int count, int pc, int kc, int offset, int columns, float* panels)
    {
        if (!transB)
        {
            // Row by row across the panels: each step's run is read in one sequential pass (panel by panel, a run
            // over many panels read 128 bytes from each of kc rows in turn, more streams than the prefetcher follows).
            float* first = b + image * strideB + (long)pc * ldb + j;
            for (int p = 0; p < kc; p++)
            {
                new PanelCursor(panels, kc, columns, offset, p).Write(first + (long)p * ldb, count);
            }

            return;
        }

        // Transposed: one copy per panel the run touches, so the packer's 8 x 8 blocks stay inside a panel.
        for (int done = 0; done < count;)
        {
            int column = offset + done;
            int length = Math.Min(columns - column % columns, count - done);
            GemmPacking.PackTransposedB(b + image * strideB, ldb, pc, kc, j + done, length, columns,
                GemmPacking.PanelColumn(panels, kc, columns, column));
            done += length;
        }
    }
}
