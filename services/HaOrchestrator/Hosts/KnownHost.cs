using CloudBus.Messages.Hosts;

namespace CloudBus.HaOrchestrator.Hosts;

/// <summary>A host as HA needs it: where its agent and BMC are, its cluster, and how HostMonitor sees it.</summary>
public sealed record KnownHost(string HostId, Uri AgentAddress, string Cluster, string? BmcAddress, HostStatus Status);
