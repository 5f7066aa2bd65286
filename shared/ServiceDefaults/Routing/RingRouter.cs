using CloudBus.Ring;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// Sends resource-scoped commands to the owning instance's own queue, and on the receiving side
/// forwards a command this instance does not own under its newer ring. A command is never dropped:
/// it is handled here or sent on.
/// </summary>
public sealed partial class RingRouter(
    ServiceIdentity identity, RingHolder ring, ISendEndpointProvider sendEndpoints, RoutingStats stats, ILogger<RingRouter> logger)
{
    /// <summary>The header a forwarder sets to the epoch of the ring it forwarded with.</summary>
    public const string EpochHeader = "CloudBus-RingEpoch";

    /// <summary>Sends the command built for the current epoch to the owner of <paramref name="resourceId"/>.</summary>
    /// <exception cref="NoRingOwnerException">No instance of the service is in the ring yet.</exception>
    public async Task<(string Owner, long Epoch)> SendAsync<T>(string resourceId, Func<long, T> build, CancellationToken cancellationToken)
        where T : class
    {
        var snapshot = ring.Current;
        var owner = snapshot.OwnerOf(resourceId) ?? throw new NoRingOwnerException(ring.Service, resourceId);
        var endpoint = await sendEndpoints.GetSendEndpoint(RoutedQueue.AddressFor(owner));
        await endpoint.Send(build(snapshot.Epoch), cancellationToken);
        return (owner, snapshot.Epoch);
    }

    /// <summary>
    /// Call first in a routed command's consumer. Returns true when the command was forwarded to
    /// its owner (the consumer then stops); false when this instance must handle it.
    /// </summary>
    public async Task<bool> ForwardIfNotOwnerAsync<T>(ConsumeContext<T> context, string resourceId, long routedEpoch)
        where T : class
    {
        var epoch = Math.Max(routedEpoch, context.Headers.Get<long>(EpochHeader) ?? 0);
        var snapshot = ring.Current;
        var owner = RoutingDecision.ForwardTo(snapshot, identity.InstanceId, resourceId, epoch);
        if (owner is null)
        {
            stats.CountHandled();
            return false;
        }

        var endpoint = await context.GetSendEndpoint(RoutedQueue.AddressFor(owner));
        await endpoint.Send(context.Message, send => send.Headers.Set(EpochHeader, snapshot.Epoch), context.CancellationToken);
        stats.CountForwarded();
        LogForwarded(typeof(T).Name, resourceId, owner, epoch, snapshot.Epoch);
        return true;
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information,
        Message = "{Command} for {ResourceId} forwarded to owner {Owner} (routed with epoch {RoutedEpoch}, ours {Epoch})")]
    private partial void LogForwarded(string command, string resourceId, string owner, long routedEpoch, long epoch);
}
