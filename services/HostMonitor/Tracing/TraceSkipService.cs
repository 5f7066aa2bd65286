using CloudBus.Messages.Vms;
using CloudBus.HostMonitor.Persistence;
using Microsoft.Extensions.Options;

namespace CloudBus.HostMonitor.Tracing;

/// <summary>
/// Applies <see cref="TraceSkipRules"/> to the stored skips: which VMs sync must leave alone now,
/// orphaning the skips of departed VmLifecycle instances, and purging expired orphans.
/// </summary>
public sealed partial class TraceSkipService(TraceSkipStore store, IOptions<HostMonitorOptions> options, TimeProvider clock, ILogger<TraceSkipService> logger)
{
    /// <summary>The VMs sync must not judge right now; expired orphans are purged on the way (tracing resumes).</summary>
    public async Task<IReadOnlySet<Guid>> ActiveSkipsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var skips = await store.ListAsync(cancellationToken);
        var expired = TraceSkipRules.Expired(skips, now);
        await store.PurgeAsync(expired, now, cancellationToken);
        foreach (var skip in expired) LogExpired(skip.VmId, skip.OperatingInstance, skip.Operation);
        return skips.Where(s => TraceSkipRules.IsActive(s, now)).Select(s => s.VmId).ToHashSet();
    }

    /// <summary>The vm-lifecycle ring changed: skips of instances no longer in it become orphans with a TTL.</summary>
    public async Task OrphanDepartedAsync(IReadOnlyCollection<string> liveOperators, CancellationToken cancellationToken)
    {
        var orphaned = TraceSkipRules.OrphanDeparted(await store.ListAsync(cancellationToken), liveOperators.ToHashSet(),
            clock.GetUtcNow(), options.Value.OrphanedSkipTtl);
        await store.OrphanAsync(orphaned, cancellationToken);
        foreach (var skip in orphaned) LogOrphaned(skip.VmId, skip.OperatingInstance, skip.Operation, skip.ExpiresAt!.Value);
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Warning,
        Message = "VM {VmId}: {Operator} departed during {Operation}; its skip is orphaned until {ExpiresAt:O}, sync leaves the VM alone until then")]
    private partial void LogOrphaned(Guid vmId, string @operator, VmOperationKind operation, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 231, Level = LogLevel.Information, Message = "VM {VmId}: orphaned skip of {Operator}'s {Operation} expired; tracing resumes")]
    private partial void LogExpired(Guid vmId, string @operator, VmOperationKind operation);
}
