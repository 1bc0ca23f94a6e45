using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>y = W x: rows output channels, columns the batch's pixels, depth input channels.</summary>
internal struct PointwiseForwardOperands : IGemmOperands
{
    public ArrayView<float> X, Weight, Y;
    public int InChannels, OutChannels, Spatial;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k) => Weight[row * InChannels + k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => X[BatchColumns.Index(column, k, InChannels, Spatial)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value) => Y[BatchColumns.Index(column, row, OutChannels, Spatial)] = value;
}

/// <summary>dx (= or +=) W^T dy: rows input channels, columns the batch's pixels, depth output channels.</summary>
internal struct PointwiseBackwardDataOperands : IGemmOperands
{
    public ArrayView<float> Dy, Weight, Dx;
    public int InChannels, OutChannels, Spatial;
    public bool Accumulate;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k) => Weight[k * InChannels + row];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => Dy[BatchColumns.Index(column, k, OutChannels, Spatial)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value)
    {
        int index = BatchColumns.Index(column, row, InChannels, Spatial);
        Dx[index] = Accumulate ? Dx[index] + value : value;
    }
}

/// <summary>dW += dy x^T: rows output channels, columns input channels, depth the batch's pixels (split, atomic).</summary>
internal struct PointwiseBackwardWeightsOperands : IGemmOperands
{
    public ArrayView<float> Dy, X, DWeight;
    public int InChannels, OutChannels, Spatial;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k) => Dy[BatchColumns.Index(k, row, OutChannels, Spatial)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => X[BatchColumns.Index(k, column, InChannels, Spatial)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value) => Atomic.Add(ref DWeight[row * InChannels + column], value);
}
