namespace CloudBus.HostAgent.Libvirt;

/// <summary>A running domain: its name, libvirt state (virDomainState) and CloudBus metadata element, if it has one.</summary>
public sealed record DomainInfo(string Name, int State, string? Metadata)
{
    /// <summary>virDomainState values.</summary>
    public const int Paused = 3, ShutOff = 5, Crashed = 6, PmSuspended = 7;
}
