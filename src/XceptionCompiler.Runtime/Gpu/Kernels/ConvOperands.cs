using System.Runtime.CompilerServices;
using ILGPU;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Gpu.Kernels;

/// <summary>
/// The implicit im2col matrix of a convolution, read straight from the NCHW input: element
/// [(c*KH + kh)*KW + kw, image*OH*OW + oh*OW + ow] = f(x[image, c, oh*S - PT + kh, ow*S - PL + kw]), zero outside
/// the input, f = ReLU when the convolution reads a ReLU of its input.
/// </summary>
internal struct ConvColumns
{
    public ArrayView<float> X;
    public ConvShape Shape;
    public bool ReluInput;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float At(int tap, int column)
    {
        ConvShape s = Shape;
        int outSpatial = s.OutHeight * s.OutWidth, taps = s.KernelHeight * s.KernelWidth;
        int image = column / outSpatial, position = column - image * outSpatial;
        int oh = position / s.OutWidth, ow = position - oh * s.OutWidth;
        int channel = tap / taps, offset = tap - channel * taps;
        int kh = offset / s.KernelWidth, kw = offset - kh * s.KernelWidth;
        int ih = oh * s.Stride - s.PadTop + kh, iw = ow * s.Stride - s.PadLeft + kw;
        if (ih < 0 || ih >= s.InHeight || iw < 0 || iw >= s.InWidth)
        {
            return 0f;
        }

        float value = X[((image * s.InChannels + channel) * s.InHeight + ih) * s.InWidth + iw];
        return ReluInput ? Math.Max(value, 0f) : value;
    }
}

/// <summary>y = W cols: rows output channels, columns the batch's output pixels, depth Cin*KH*KW.</summary>
internal struct ConvForwardOperands : IGemmOperands
{
    public ConvColumns Columns;
    public ArrayView<float> Weight, Y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k) => Weight[row * Taps(Columns.Shape) + k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => Columns.At(k, column);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value)
    {
        ConvShape s = Columns.Shape;
        Y[BatchColumns.Index(column, row, s.OutChannels, s.OutHeight * s.OutWidth)] = value;
    }

    /// <summary>Cin*KH*KW: the weight's row length and the forward depth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Taps(ConvShape s) => s.InChannels * s.KernelHeight * s.KernelWidth;
}

/// <summary>dW += dy cols^T: rows output channels, columns Cin*KH*KW, depth the batch's output pixels (split, atomic).</summary>
internal struct ConvBackwardWeightsOperands : IGemmOperands
{
    public ConvColumns Columns;
    public ArrayView<float> Dy, DWeight;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k)
    {
        ConvShape s = Columns.Shape;
        return Dy[BatchColumns.Index(k, row, s.OutChannels, s.OutHeight * s.OutWidth)];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column) => Columns.At(column, k);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value) =>
        Atomic.Add(ref DWeight[row * ConvForwardOperands.Taps(Columns.Shape) + column], value);
}

/// <summary>
/// dx (= or +=) the transposed convolution of dy, masked by x &gt; 0 when the input went through a ReLU: rows input
/// channels, columns the batch's input pixels, depth Cout*KH*KW. B[(o*KH + kh)*KW + kw, (image, ih, iw)] is the dy
/// element whose window puts tap (kh, kw) on (ih, iw), or zero where none does (off the stride grid or the output).
/// </summary>
internal struct ConvBackwardDataOperands : IGemmOperands
{
    public ArrayView<float> Dy, Weight, X, Dx;
    public ConvShape Shape;
    public bool ReluInput, Accumulate;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float A(int row, int k)
    {
        ConvShape s = Shape;
        int taps = s.KernelHeight * s.KernelWidth;
        int output = k / taps;
        return Weight[(output * s.InChannels + row) * taps + (k - output * taps)];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly float B(int k, int column)
    {
        ConvShape s = Shape;
        int inSpatial = s.InHeight * s.InWidth, taps = s.KernelHeight * s.KernelWidth;
        int image = column / inSpatial, position = column - image * inSpatial;
        int ih = position / s.InWidth, iw = position - ih * s.InWidth;
        int output = k / taps, offset = k - output * taps;
        int kh = offset / s.KernelWidth, kw = offset - kh * s.KernelWidth;
        // ih = oh*S - PT + kh, so oh*S = ih + PT - kh must be a non-negative multiple of S below OH*S.
        int strideH = ih + s.PadTop - kh, strideW = iw + s.PadLeft - kw;
        if (strideH < 0 || strideW < 0 || strideH % s.Stride != 0 || strideW % s.Stride != 0)
        {
            return 0f;
        }

        int oh = strideH / s.Stride, ow = strideW / s.Stride;
        if (oh >= s.OutHeight || ow >= s.OutWidth)
        {
            return 0f;
        }

        return Dy[((image * s.OutChannels + output) * s.OutHeight + oh) * s.OutWidth + ow];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int row, int column, float value)
    {
        ConvShape s = Shape;
        int index = BatchColumns.Index(column, row, s.InChannels, s.InHeight * s.InWidth);
        float gradient = ReluInput && !(X[index] > 0f) ? 0f : value;
        Dx[index] = Accumulate ? Dx[index] + gradient : gradient;
    }
}
