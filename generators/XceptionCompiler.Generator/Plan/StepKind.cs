namespace XceptionCompiler.Generator.Plan
{
    /// <summary>The kinds of fused step the emitters know how to write, forward and backward.</summary>
    internal enum StepKind
    {
        /// <summary>[ReLU] -> k x k conv -> [BN [+ residual] [ReLU]].</summary>
        Conv,
        /// <summary>[ReLU] -> depthwise -> pointwise -> [BN [+ residual] [ReLU]]: the separable-conv block.</summary>
        Separable,
        /// <summary>[ReLU] -> depthwise -> [BN [+ residual] [ReLU]].</summary>
        Depthwise,
        /// <summary>A batch norm whose input is not fused into a conv: BN [+ residual] [ReLU].</summary>
        BatchNorm,
        /// <summary>Max pool [+ residual].</summary>
        MaxPool,
        GlobalAvgPool,
        Dropout,
        Dense,
        Relu,
        Add,
    }
}
