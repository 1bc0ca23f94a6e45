namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// Where <see cref="Gemm"/> gets its packed B panels from: a matrix it copies (<see cref="MatrixPanels"/>) or a
/// producer that computes op(B) as it packs (<see cref="DepthwisePanels"/>, so that op(B) is never stored). The
/// GEMM is generic over the source, so each gets its own compiled loop and no call is virtual.
/// </summary>
internal unsafe interface IPanelSource
{
    /// <summary>
    /// Writes op(B_image)[pc .. pc+kc, j .. j+count) into panel columns offset .. offset+count-1 of consecutive
    /// kc x <paramref name="columns"/> panels (panel column o is column o % columns of panel o / columns, see
    /// <see cref="GemmPacking.PanelColumn"/>). The run lies in one image and may cross panels.
    /// </summary>
    void Pack(int image, int j, int count, int pc, int kc, int offset, int columns, float* panels);
}
