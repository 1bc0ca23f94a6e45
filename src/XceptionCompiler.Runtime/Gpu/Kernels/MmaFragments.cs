namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// A lane's TF32 registers of the m16n8k8 A operand (16x8, row-major), PTX ISA layout with g = lane / 4 and
/// t = lane % 4: A0 = A[g, t], A1 = A[g + 8, t], A2 = A[g, t + 4], A3 = A[g + 8, t + 4].
/// </summary>
internal struct MmaFragmentA
{
    public uint A0;
    public uint A1;
    public uint A2;
    public uint A3;
}

/// <summary>A lane's TF32 registers of the m16n8k8 B operand (8x8, column-major): B0 = B[t, g], B1 = B[t + 4, g].</summary>
internal struct MmaFragmentB
{
    public uint B0;
    public uint B1;
}
