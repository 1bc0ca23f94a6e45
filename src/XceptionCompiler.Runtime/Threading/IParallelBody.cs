namespace XceptionCompiler.Runtime.Threading;

/// <summary>
/// The work of one parallel call, as an unmanaged struct so that <see cref="Workers.For{TBody}"/> can hand
/// every thread a pointer to the caller's copy without boxing or allocating.
/// </summary>
/// <remarks>
/// Several threads call <see cref="Run"/> on the same instance at once, each with its own range, so an
/// implementation must treat its fields as read-only and write only to memory that its range owns.
/// </remarks>
public interface IParallelBody
{
    /// <summary>Processes the indices <paramref name="begin"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    void Run(int begin, int end);
}
