using XceptionCompiler.Generator.Common;

namespace XceptionCompiler.Generator.IR
{
    /// <summary>Mirror of the runtime's TensorRole (the generator cannot reference the runtime); names must match.</summary>
    internal enum ParameterRole
    {
        ConvWeight,
        DepthwiseWeight,
        DenseWeight,
        Bias,
        NormWeight,
        NormBias,
        RunningMean,
        RunningVariance,
    }

    /// <summary>A named tensor owned by a node, with its timm-style full name and PyTorch shape.</summary>
    internal sealed record ParameterSpec(string Name, ParameterRole Role, EquatableArray<int> Dimensions)
    {
        public bool Trainable => Role is not (ParameterRole.RunningMean or ParameterRole.RunningVariance);

        public long Size
        {
            get
            {
                long size = 1;
                foreach (int dimension in Dimensions)
                {
                    size *= dimension;
                }

                return size;
            }
        }
    }
}
