namespace XceptionCompiler.Generator.IR
{
    /// <summary>The shape of one image's tensor (batch is a run-time dimension): channels x height x width.</summary>
    internal readonly record struct Shape(int Channels, int Height, int Width)
    {
        /// <summary>Floats per image.</summary>
        public long Size => (long)Channels * Height * Width;

        public int Spatial => Height * Width;

        public override string ToString() => Channels + "x" + Height + "x" + Width;
    }
}
