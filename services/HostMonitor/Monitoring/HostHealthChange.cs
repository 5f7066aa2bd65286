using CloudBus.Messages.Hosts;

namespace CloudBus.HostMonitor.Monitoring;

/// <summary>A host's status changed as a result of a ping, and why.</summary>
public sealed record HostHealthChange(HostStatus From, HostStatus To, string Reason);
