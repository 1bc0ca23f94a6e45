using System.Runtime.CompilerServices;
using ILGPU;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>y = x W^T (+ b): rows images, columns output features, depth input features.</summary>
internal struct DenseForwardOperands : IGemmOperands
{
    public ArrayView<float> X, Weight, Bias, Y;
    public int InFeatures, OutFeatures;
    public bool HasBias;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k) => X[row * InFeatures + k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => Weight[column * InFeatures + k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value) =>
        Y[row * OutFeatures + column] = HasBias ? value + Bias[column] : value;
}

/// <summary>dx (= or +=) dy W: rows images, columns input features, depth output features.</summary>
internal struct DenseBackwardDataOperands : IGemmOperands
{
    public ArrayView<float> Dy, Weight, Dx;
    public int InFeatures, OutFeatures;
    public bool Accumulate;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k) => Dy[row * OutFeatures + k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => Weight[k * InFeatures + column];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value)
    {
        int index = row * InFeatures + column;
        Dx[index] = Accumulate ? Dx[index] + value : value;
    }
}

/// <summary>dW += dy^T x: rows output features, columns input features, depth images (one group owns each output).</summary>
internal struct DenseBackwardWeightsOperands : IGemmOperands
{
    public ArrayView<float> Dy, X, DWeight;
    public int InFeatures, OutFeatures;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k) => Dy[k * OutFeatures + row];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => X[k * InFeatures + column];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value)
    {
        int index = row * InFeatures + column;
        DWeight[index] += value;
    }
}
