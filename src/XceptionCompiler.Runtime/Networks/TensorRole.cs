namespace XceptionCompiler.Runtime.Networks;

/// <summary>What a named tensor of a compiled network holds; optimizers and weight-decay filters key on it.</summary>
public enum TensorRole
{
    /// <summary>A dense convolution kernel, OIHW.</summary>
    ConvWeight,
    /// <summary>A depthwise kernel, [C, 1, K, K].</summary>
    DepthwiseWeight,
    /// <summary>A fully connected weight, [out, in].</summary>
    DenseWeight,
    /// <summary>A bias vector of a convolution or dense layer.</summary>
    Bias,
    /// <summary>Batch-norm scale (gamma).</summary>
    NormWeight,
    /// <summary>Batch-norm shift (beta).</summary>
    NormBias,
    /// <summary>Batch-norm running mean: a statistic, not trained.</summary>
    RunningMean,
    /// <summary>Batch-norm running variance: a statistic, not trained.</summary>
    RunningVariance,
}

/// <summary>Helpers over <see cref="TensorRole"/>.</summary>
public static class TensorRoles
{
    /// <summary>True for tensors that live in the parameter buffer and get gradients.</summary>
    public static bool IsTrainable(this TensorRole role) =>
        role is not (TensorRole.RunningMean or TensorRole.RunningVariance);
}
