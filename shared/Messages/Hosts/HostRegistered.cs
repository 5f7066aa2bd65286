namespace CloudBus.Messages.Hosts;

/// <summary>An operator added a hypervisor host; the control plane starts watching it.</summary>
public sealed record HostRegistered
{
    public required string HostId { get; init; }
    /// <summary>Base address of the host agent's HTTP API.</summary>
    public required Uri AgentAddress { get; init; }
    /// <summary>The agent on the host's other management networks, tried in this order when <see cref="AgentAddress"/> does not answer.</summary>
    public IReadOnlyList<Uri> AlternateAgentAddresses { get; init; } = [];
    /// <summary>Hosts of one cluster share storage and can read each other's heartbeats.</summary>
    public required string Cluster { get; init; }
    public required int CpuCores { get; init; }
    public required int MemoryMib { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The host's BMC as <c>host:port</c> (IPMI over LAN), used to fence it; null when it has none.</summary>
    public string? BmcAddress { get; init; }
    /// <summary>The BMC's other addresses (<c>host:port</c>), tried in this order when <see cref="BmcAddress"/> does not answer.</summary>
    public IReadOnlyList<string> AlternateBmcAddresses { get; init; } = [];
    public required DateTimeOffset RegisteredAt { get; init; }
}
