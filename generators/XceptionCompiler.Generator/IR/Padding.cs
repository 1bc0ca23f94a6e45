namespace XceptionCompiler.Generator.IR
{
    /// <summary>Resolved padding on each side; 'same' padding can be asymmetric (more at the bottom and right).</summary>
    internal readonly record struct Padding(int Top, int Left, int Bottom, int Right)
    {
        public bool IsZero => Top == 0 && Left == 0 && Bottom == 0 && Right == 0;

        public bool IsSymmetric => Top == Bottom && Left == Right;

        public override string ToString() => IsSymmetric ? (Top == Left ? Top.ToString() : Top + "," + Left) : Top + "," + Left + "," + Bottom + "," + Right;
    }
}
