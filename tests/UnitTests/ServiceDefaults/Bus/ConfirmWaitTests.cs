using CloudBus.ServiceDefaults.Bus;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.ServiceDefaults.Bus;

/// <summary>A publish whose confirm never comes (the connection died with it in flight) fails after the bound instead of waiting for ever.</summary>
public sealed class ConfirmWaitTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_confirm_that_never_comes_fails_with_a_timeout_once_the_limit_passes()
    {
        var publishing = ConfirmWait.WithinAsync(Limit, _clock, "a heartbeat", NeverConfirmed, CancellationToken.None);

        _clock.Advance(Limit - TimeSpan.FromMilliseconds(1));
        Assert.False(publishing.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => publishing);
        Assert.Contains("did not confirm a heartbeat within 10 s", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        using var stopping = new CancellationTokenSource();
        var publishing = ConfirmWait.WithinAsync(Limit, _clock, "a heartbeat", NeverConfirmed, stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publishing);
    }

    [Fact]
    public async Task A_confirmed_publish_completes_and_its_failure_passes_through()
    {
        await ConfirmWait.WithinAsync(Limit, _clock, "a heartbeat", _ => Task.CompletedTask, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ConfirmWait.WithinAsync(Limit, _clock, "a heartbeat", _ => throw new InvalidOperationException("returned"), CancellationToken.None));
    }

    // A confirm that never comes: a task nothing ever completes, ended only by the token.
    private static Task NeverConfirmed(CancellationToken token) => new TaskCompletionSource().Task.WaitAsync(token);
}
