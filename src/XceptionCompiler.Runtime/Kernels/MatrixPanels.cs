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
        // One copy per panel the run touches, so the transposing packer's 8 x 8 blocks stay inside a panel.
        for (int done = 0; done < count;)
        {
            int column = offset + done;
            int length = Math.Min(columns - column % columns, count - done);
            GemmPacking.PackB(b + image * strideB, ldb, transB, pc, kc, j + done, length, columns,
                GemmPacking.PanelColumn(panels, kc, columns, column));
            done += length;
        }
    }
}
