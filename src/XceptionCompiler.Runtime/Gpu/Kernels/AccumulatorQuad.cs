namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Four fp32 accumulators of one thread: the C/D fragment of one m16n8k8 tensor-core tile, or one column of the
/// FMA path's 4x4 register tile. Plain fields, so they stay in registers.
/// </summary>
internal struct AccumulatorQuad
{
    public float C0;
    public float C1;
    public float C2;
    public float C3;
}

/// <summary>A thread's 16 accumulators of the group's 64x64 output tile: four quads.</summary>
internal struct TileAccumulators
{
    public AccumulatorQuad Q0;
    public AccumulatorQuad Q1;
    public AccumulatorQuad Q2;
    public AccumulatorQuad Q3;
}
