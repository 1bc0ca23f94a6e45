namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// A yes/no choice given as a type argument: a generic loop over <see cref="On"/> or <see cref="Off"/> is compiled once
/// per choice with the test folded away, where a bool argument would be tested on every pass.
/// </summary>
internal interface ISwitch
{
    static abstract bool IsOn { get; }
}

/// <summary>The choice is made.</summary>
internal readonly struct On : ISwitch
{
    public static bool IsOn => true;
}

/// <summary>The choice is not made.</summary>
internal readonly struct Off : ISwitch
{
    public static bool IsOn => false;
}
