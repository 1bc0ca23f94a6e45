using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// Fully connected layer y = x W^T + b, x [n, in], W [out, in], b [out] (empty without bias), on
/// <see cref="GpuGemmTile"/>. Semantics of the CPU kernel Kernels/Dense.cs (whose Backward is split here into the
/// data gradient and the parameter gradients, so a first layer can skip the former).
/// </summary>
public static class GpuDense
{
    /// <summary>y = x W^T (+ b when <paramref name="hasBias"/>); y is overwritten.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ArrayView<float> x, ArrayView<float> weight, ArrayView<float> bias, ArrayView<float> y, int n,
        int inFeatures, int outFeatures, bool hasBias, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new DenseForwardOperands
        {
            X = x, Weight = weight, Bias = bias, Y = y, InFeatures = inFeatures, OutFeatures = outFeatures, HasBias = hasBias,
        };
        GpuGemmTile.Multiply(operands, ForwardSize(n, inFeatures, outFeatures), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="Forward"/>.</summary>
    public static KernelConfig ForwardConfig(int n, int inFeatures, int outFeatures) =>
        ForwardSize(n, inFeatures, outFeatures).Config();

    /// <summary>dx (= or +=) dy W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardData(ArrayView<float> dy, ArrayView<float> weight, ArrayView<float> dx, int n,
        int inFeatures, int outFeatures, bool accumulate, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new DenseBackwardDataOperands
        {
            Dy = dy, Weight = weight, Dx = dx, InFeatures = inFeatures, OutFeatures = outFeatures, Accumulate = accumulate,
        };
        GpuGemmTile.Multiply(operands, BackwardDataSize(n, inFeatures, outFeatures), splitTf32, emulateMma);
    }

    /// <summary>The launch of <see cref="BackwardData"/>.</summary>
    public static KernelConfig BackwardDataConfig(int n, int inFeatures, int outFeatures) =>
        BackwardDataSize(n, inFeatures, outFeatures).Config();

    /// <summary>dW += dy^T x; db += the column sums of dy when <paramref name="hasBias"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardParameters(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dWeight, ArrayView<float> dBias,
        int n, int inFeatures, int outFeatures, bool hasBias, bool splitTf32 = true, bool emulateMma = false)
    {
        var operands = new DenseBackwardWeightsOperands
        {
            Dy = dy, X = x, DWeight = dWeight, InFeatures = inFeatures, OutFeatures = outFeatures,
        };
        GpuGemmTile.Multiply(operands, BackwardParametersSize(n, inFeatures, outFeatures), splitTf32, emulateMma);

        // The groups of the first column tile also own the bias gradient of their 64 output features.
        if (hasBias && Grid.IdxX == 0 && Group.IdxX < GpuGemmTile.TileRows)
        {
            int output = Grid.IdxY * GpuGemmTile.TileRows + Group.IdxX;
            if (output < outFeatures)
            {
                float sum = 0f;
                for (int image = 0; image < n; image++)
                {
                    sum += dy[image * outFeatures + output];
                }

                dBias[output] += sum;
            }
        }
    }

    /// <summary>The launch of <see cref="BackwardParameters"/>.</summary>
    public static KernelConfig BackwardParametersConfig(int n, int inFeatures, int outFeatures) =>
        BackwardParametersSize(n, inFeatures, outFeatures).Config();

    private static GemmSize ForwardSize(int n, int inFeatures, int outFeatures) => GemmSize.Whole(n, outFeatures, inFeatures);

    private static GemmSize BackwardDataSize(int n, int inFeatures, int outFeatures) => GemmSize.Whole(n, inFeatures, outFeatures);

    private static GemmSize BackwardParametersSize(int n, int inFeatures, int outFeatures) =>
        GemmSize.Whole(outFeatures, inFeatures, n);
}
