using CloudBus.HostAgent.Hypervisor;

namespace CloudBus.HostAgent.Api.ControlPlane;

/// <summary>
/// A neighbour's heartbeat; the age is given both as a TimeSpan and in seconds, for scripts, and
/// the self-fence time the host states and whether a watchdog backs it (null when its heartbeat
/// does not say).
/// </summary>
public sealed record NeighbourHeartbeatReply(
    string HostId, long Sequence, DateTimeOffset WrittenAt, TimeSpan Age, double AgeSeconds, double? SelfFenceAfterSeconds, bool? Watchdog)
{
    public static NeighbourHeartbeatReply From(NeighbourHeartbeat heartbeat) =>
        new(heartbeat.HostId, heartbeat.Sequence, heartbeat.WrittenAt, heartbeat.Age, heartbeat.Age.TotalSeconds, heartbeat.SelfFenceAfter?.TotalSeconds,
            heartbeat.Watchdog);
}
