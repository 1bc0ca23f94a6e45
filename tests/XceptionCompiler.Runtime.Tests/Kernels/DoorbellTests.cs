using Xunit;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="Doorbell"/> loses no ring, whether the waiter is spinning, blocked, or not yet waiting, and a ring lets
/// exactly one wait through.
/// </summary>
public sealed class DoorbellTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARingBeforeTheWaitIsKept()
    {
        var bell = new Doorbell();
        bell.Ring();
        // A lost ring leaves the wait hanging: WaitAsync then fails the test with a TimeoutException.
        await Task.Run(bell.Wait).WaitAsync(Limit);
    }

    [Fact]
    public async Task OneRingLetsOneWaitThrough()
    {
        var bell = new Doorbell();
        bell.Ring();
        bell.Wait();
        Task second = Task.Run(bell.Wait);
        // Longer than the spin, so the second waiter blocks; it must still be waiting.
        await Task.WhenAny(second, Task.Delay(50));
        Assert.False(second.IsCompleted, "a second wait returned without a second ring");
        bell.Ring();
        await second.WaitAsync(Limit);
    }

    [Fact]
    public async Task PingPongLosesNoRing()
    {
        // Replies come at once (the waiter is spinning) or after a pause longer than the spin (it is blocked).
        var ping = new Doorbell();
        var pong = new Doorbell();
        const int Rounds = 2000;
        var responder = Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                ping.Wait();
                if (i % 100 == 0)
                {
                    Thread.Sleep(2);
                }

                pong.Ring();
            }
        });

        var caller = Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                ping.Ring();
                pong.Wait();
            }
        });

        // A lost ring leaves a thread waiting for good.
        await Task.WhenAll(responder, caller).WaitAsync(Limit);
    }
}
