using CloudBus.Messages.Vms;
using CloudBus.HostMonitor.Tracing;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.UnitTests.HostMonitor;

public sealed class TraceSkipRulesTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private TraceSkip Skip(string by = "vm-lifecycle-a") => new(Guid.NewGuid(), by, Guid.NewGuid(), VmOperationKind.Start, _clock.GetUtcNow());

    [Fact]
    public void A_skip_is_active_until_continued_however_long_the_operation_takes()
    {
        var skip = Skip();
        _clock.Advance(TimeSpan.FromHours(5));
        Assert.True(TraceSkipRules.IsActive(skip, _clock.GetUtcNow()));
        Assert.Empty(TraceSkipRules.Expired([skip], _clock.GetUtcNow()));
    }

    [Fact]
    public void Skips_of_a_departed_operator_are_orphaned_with_the_ttl_not_dropped()
    {
        var departed = Skip("vm-lifecycle-gone");
        var live = Skip("vm-lifecycle-alive");

        var orphaned = TraceSkipRules.OrphanDeparted([departed, live], new HashSet<string> { "vm-lifecycle-alive" }, _clock.GetUtcNow(), Ttl);

        var orphan = Assert.Single(orphaned);
        Assert.Equal(departed.VmId, orphan.VmId);
        Assert.Equal(_clock.GetUtcNow() + Ttl, orphan.ExpiresAt);
        Assert.True(TraceSkipRules.IsActive(orphan, _clock.GetUtcNow()));
    }

    [Fact]
    public void An_orphan_stays_active_until_its_ttl_and_is_purged_after_it()
    {
        var orphan = TraceSkipRules.OrphanDeparted([Skip()], new HashSet<string>(), _clock.GetUtcNow(), Ttl).Single();

        _clock.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.True(TraceSkipRules.IsActive(orphan, _clock.GetUtcNow()));
        Assert.Empty(TraceSkipRules.Expired([orphan], _clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(TraceSkipRules.IsActive(orphan, _clock.GetUtcNow()));
        Assert.Equal([orphan], TraceSkipRules.Expired([orphan], _clock.GetUtcNow()));
    }

    [Fact]
    public void An_orphan_is_orphaned_once_so_later_ring_changes_do_not_extend_its_ttl()
    {
        var orphan = TraceSkipRules.OrphanDeparted([Skip()], new HashSet<string>(), _clock.GetUtcNow(), Ttl).Single();
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(TraceSkipRules.OrphanDeparted([orphan], new HashSet<string>(), _clock.GetUtcNow(), Ttl));
    }
}
