namespace XceptionCompiler.Generator.Semantics
{
    internal enum PaddingMode
    {
        /// <summary>No padding.</summary>
        Valid,
        /// <summary>TensorFlow/Keras 'same': output = ceil(input / stride), any odd remainder goes to the bottom and right.</summary>
        Same,
        /// <summary>The same explicit amount on every side (PyTorch's padding=n).</summary>
        Explicit,
    }

    /// <summary>Padding as written, before the input size is known.</summary>
    internal readonly record struct PaddingSpec(PaddingMode Mode, int Amount)
    {
        public static readonly PaddingSpec Valid = new PaddingSpec(PaddingMode.Valid, 0);
        public static readonly PaddingSpec Same = new PaddingSpec(PaddingMode.Same, 0);
    }
}
