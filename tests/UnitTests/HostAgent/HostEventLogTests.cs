using CloudBus.HostAgent.Hypervisor;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.HostAgent;

public sealed class HostEventLogTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_waiting_request_gets_the_hosts_next_event_and_the_sequence_to_ask_after()
    {
        var log = new HostEventLog(_clock);
        log.Append("kvm-2", "vm-x", VmHostEventKind.Started, "started");

        var waiting = log.WaitAsync("kvm-1", after: 0, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        log.Append("kvm-1", "vm-a", VmHostEventKind.Stopped, "died");
        var (events, last) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        var stopped = Assert.Single(events);
        Assert.Equal((2L, "vm-a", VmHostEventKind.Stopped, "died"), (stopped.Sequence, stopped.VmId, stopped.Kind, stopped.Detail));
        Assert.Equal(2, last);
        Assert.Empty((await log.WaitAsync("kvm-1", after: last, TimeSpan.Zero, CancellationToken.None)).Events);
    }

    [Fact]
    public async Task Without_events_the_request_answers_empty_once_its_wait_is_over()
    {
        var log = new HostEventLog(_clock);
        var waiting = log.WaitAsync("kvm-1", after: 0, TimeSpan.FromSeconds(5), CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(5));
        var (events, last) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(events);
        Assert.Equal(0, last);
    }

    [Fact]
    public async Task Only_the_last_events_are_kept()
    {
        var log = new HostEventLog(_clock);
        for (var i = 0; i < HostEventLog.Capacity + 10; i++) log.Append("kvm-1", $"vm-{i}", VmHostEventKind.Started, "started");

        var (events, _) = await log.WaitAsync("kvm-1", after: 0, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(HostEventLog.Capacity, events.Count);
        Assert.Equal(11, events[0].Sequence);
    }
}
