using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>One change of a host's status, why, and which HostMonitor instance saw it.</summary>
public sealed record HostStatusChange(DateTimeOffset At, HostStatus From, HostStatus To, string Reason, string ChangedBy);
