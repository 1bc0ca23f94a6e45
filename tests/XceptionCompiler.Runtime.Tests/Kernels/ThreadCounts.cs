using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>Runs an action with <see cref="Workers.ThreadCount"/> set, restoring it after (tests that do this run alone).</summary>
internal static class ThreadCounts
{
    public static T With<T>(int threads, Func<T> action)
    {
        int saved = Workers.ThreadCount;
        Workers.ThreadCount = threads;
        try
        {
            return action();
        }
        finally
        {
            Workers.ThreadCount = saved;
        }
    }

    public static void With(int threads, Action action) => With(threads, () =>
    {
        action();
        return 0;
    });
}
