namespace CloudBus.HostAgent.Simulation;

/// <summary>What a simulated host is: its id, cluster and capacity.</summary>
public sealed record HostShape(string HostId, string Cluster, int CpuCores, int MemoryMib);
