using CloudBus.Messages.Routing;
using CloudBus.NodeRegistry.Persistence;
using CloudBus.Ring;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Bus;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Scheduling;
using MassTransit;
using Microsoft.Extensions.Options;

namespace CloudBus.NodeRegistry.Membership;

/// <summary>
/// Every replica runs this loop; only the one holding the <see cref="LeaderLease"/> evaluates.
/// Each round: count missed rounds, remove members missing long enough, and give every service
/// whose members changed a new ring with the next epoch; then announce the new rings (and, every
/// few rounds, all rings again, so an instance that missed a message catches up). A changed ring
/// is announced through the outbox, in the transaction that stores it. A leader's term lasts from
/// taking the lease until it loses it or a round fails (the database went away): it counts only
/// the rounds it watched, so nobody is removed for the silence of an outage.
/// </summary>
public sealed partial class MembershipEvaluator(
    LeaderLease lease,
    ServiceIdentity identity,
    IBus bus,
    ScheduledMessages outbox,
    IOptions<NodeRegistryOptions> options,
    TimeProvider clock,
    ILogger<MembershipEvaluator> logger) : BackgroundService
{
    private DateTimeOffset? _previousRoundAt;
    private long _rounds;
    private volatile bool _leading;

    /// <summary>Whether this replica led the last round it attempted (shown at GET /registry).</summary>
    public bool IsLeader => _leading;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync(options.Value.EvaluationInterval, clock, RoundAsync, async exception =>
        {
            LogRoundFailed(exception);
            _previousRoundAt = null;
            _leading = false;
            await lease.ReleaseAsync();
        }, stoppingToken);

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        var connection = await lease.AcquireOrKeepAsync(cancellationToken);
        if (connection is null)
        {
            if (_leading) LogLostLeadership(identity.InstanceId);
            _previousRoundAt = null;
            _leading = false;
            return;
        }
        if (_previousRoundAt is null) LogBecameLeader(identity.InstanceId);

        List<StoredRing> changed;
        IReadOnlyList<StoredRing> all;
        DateTimeOffset roundAt;
        await using (var work = await UnitOfWork.BeginOnAsync(connection, outbox, cancellationToken))
        {
            (roundAt, var members) = await MembershipRoundStore.ReadAsync(work);
            var result = MembershipRound.Evaluate(members, _previousRoundAt, options.Value.MissingRoundsBeforeRemoval);
            await MembershipRoundStore.ApplyAsync(work, result);
            foreach (var removed in result.Removed) LogRemoved(removed, options.Value.MissingRoundsBeforeRemoval);

            var stored = await RingStore.ReadAllAsync(work);
            changed = NextRings(stored, result, roundAt).ToList();
            foreach (var ring in changed)
            {
                await MembershipRoundStore.SaveRingAsync(work, ring);
                await work.PublishAsync(ToMessage(ring)); // a new ring and its announcement commit together
            }
            await MembershipRoundStore.RenewLeaderAsync(work, identity.InstanceId, roundAt);
            await work.CommitAsync(cancellationToken);
            all = stored.Where(s => changed.All(c => c.Service != s.Service)).Concat(changed).ToList();
        }
        _previousRoundAt = roundAt;
        _leading = true;

        // Every few rounds every ring is announced again, for an instance that missed one.
        if (++_rounds % options.Value.RepublishEveryRounds == 0)
            foreach (var ring in all)
                await ConfirmWait.WithinAsync(ConfirmWait.DefaultLimit, clock, $"the ring of {ring.Service}", token => bus.Publish(ToMessage(ring), token), cancellationToken);
        foreach (var ring in changed) LogRingChanged(ring.Service, ring.Epoch, ring.Members);
    }

    /// <summary>A new ring, with the next epoch, for every service whose members differ from its stored ring.</summary>
    private static IEnumerable<StoredRing> NextRings(IReadOnlyList<StoredRing> stored, MembershipRoundResult result, DateTimeOffset at)
    {
        var byService = stored.ToDictionary(r => r.Service);
        foreach (var service in byService.Keys.Union(result.RingMembers.Keys))
        {
            var members = result.RingMembers.GetValueOrDefault(service) ?? [];
            var current = byService.GetValueOrDefault(service);
            if (current is not null && current.Members.SequenceEqual(members)) continue;
            yield return new StoredRing(service, (current?.Epoch ?? 0) + 1, members, RingDefaults.VirtualNodesPerMember, at);
        }
    }

    public static RingChanged ToMessage(StoredRing ring) => new()
    {
        Service = ring.Service, Epoch = ring.Epoch, Members = ring.Members,
        VirtualNodesPerMember = ring.VirtualNodesPerMember, ChangedAt = ring.ChangedAt,
    };

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "{InstanceId} is now the NodeRegistry leader")]
    private partial void LogBecameLeader(string instanceId);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "{InstanceId} is no longer the NodeRegistry leader")]
    private partial void LogLostLeadership(string instanceId);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Instance {InstanceId} removed: no heartbeat for {Rounds} rounds in a row")]
    private partial void LogRemoved(string instanceId, int rounds);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Ring of {Service} changed to epoch {Epoch}: {Members}")]
    private partial void LogRingChanged(string service, long epoch, IReadOnlyList<string> members);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error, Message = "Membership round failed; leadership released")]
    private partial void LogRoundFailed(Exception exception);
}
