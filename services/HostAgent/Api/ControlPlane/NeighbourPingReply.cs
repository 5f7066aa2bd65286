namespace CloudBus.HostAgent.Api.ControlPlane;

public sealed record NeighbourPingReply(bool Reachable);
