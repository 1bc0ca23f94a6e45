namespace XceptionCompiler.Runtime.Configuration;

/// <summary>A value read from a <see cref="RawValue"/>, or why it could not be: errors are values, not exceptions,
/// so a file's problems can all be collected and reported together.</summary>
internal readonly record struct Parsed<T>(T Value, string? Problem)
{
    public bool Failed => Problem is not null;

    public static Parsed<T> Ok(T value) => new(value, null);

    public static Parsed<T> Fail(string problem) => new(default!, problem);
}
