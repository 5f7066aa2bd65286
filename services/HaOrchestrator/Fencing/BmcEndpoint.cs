namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>Where a host's BMC answers IPMI over LAN (UDP; the standard port is 623).</summary>
public sealed record BmcEndpoint(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
