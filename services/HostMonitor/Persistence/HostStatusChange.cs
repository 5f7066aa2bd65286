namespace CloudBus.HostMonitor.Persistence;

/// <summary>One change of a host's status, why, and which HostMonitor instance saw it.</summary>
public sealed record HostStatusChange(DateTimeOffset At, string From, string To, string Reason, string ChangedBy);
