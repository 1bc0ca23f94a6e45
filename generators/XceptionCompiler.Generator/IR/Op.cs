namespace XceptionCompiler.Generator.IR
{
    /// <summary>
    /// One primitive operation of the graph IR, with its attributes resolved to numbers.
    /// Immutable and structurally equatable; one record type per op so emitters switch on the type.
    /// </summary>
    internal abstract record Op
    {
        /// <summary>The op as the model language spells it.</summary>
        public abstract string Keyword { get; }
    }

    internal sealed record InputOp : Op
    {
        public override string Keyword => "input";
    }

    /// <summary>Dense convolution (a pointwise convolution when Kernel is 1, Stride 1 and no padding).</summary>
    internal sealed record ConvOp(int OutChannels, int Kernel, int Stride, Padding Padding, bool Bias) : Op
    {
        public override string Keyword => "conv";

        public bool IsPointwise => Kernel == 1 && Stride == 1 && Padding.IsZero;
    }

    internal sealed record DepthwiseOp(int Kernel, int Stride, Padding Padding) : Op
    {
        public override string Keyword => "depthwise";
    }

    internal sealed record BatchNormOp(float Epsilon, float Momentum) : Op
    {
        public override string Keyword => "bn";
    }

    internal sealed record ReluOp : Op
    {
        public override string Keyword => "relu";
    }

    internal sealed record MaxPoolOp(int Kernel, int Stride, Padding Padding) : Op
    {
        public override string Keyword => "maxpool";
    }

    internal sealed record GlobalAvgPoolOp : Op
    {
        public override string Keyword => "global_avg_pool";
    }

    internal sealed record DropoutOp(float Rate) : Op
    {
        public override string Keyword => "dropout";
    }

    internal sealed record DenseOp(int Units, bool Bias) : Op
    {
        public override string Keyword => "dense";
    }

    internal sealed record AddOp : Op
    {
        public override string Keyword => "add";
    }
}
