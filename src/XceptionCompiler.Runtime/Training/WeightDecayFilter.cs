using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>Which tensors weight decay applies to (MindCV's weight_decay_filter).</summary>
public enum WeightDecayFilter
{
    /// <summary>Every trainable tensor.</summary>
    Disable,
    /// <summary>Tensors of rank two or more: one-dimensional ones (biases, batch-norm scale and shift) are left alone.</summary>
    Auto,
    /// <summary>Everything but batch-norm scale and shift and biases, chosen by role.</summary>
    NormAndBias,
}

/// <summary>Helpers over <see cref="WeightDecayFilter"/>.</summary>
public static class WeightDecayFilters
{
    public static WeightDecayFilter Parse(string value) => value switch
    {
        "disable" => WeightDecayFilter.Disable,
        "auto" => WeightDecayFilter.Auto,
        "norm_and_bias" => WeightDecayFilter.NormAndBias,
        _ => throw new ArgumentException($"weight_decay_filter '{value}' is not one of disable, auto, norm_and_bias"),
    };

    /// <summary>Whether a tensor is decayed under this filter.</summary>
    public static bool Decays(this WeightDecayFilter filter, NetworkTensor tensor) => filter switch
    {
        WeightDecayFilter.Auto => tensor.Shape.Length > 1,
        WeightDecayFilter.NormAndBias => tensor.Role is not (TensorRole.NormWeight or TensorRole.NormBias or TensorRole.Bias),
        _ => true,
    };
}
