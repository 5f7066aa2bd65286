namespace CloudBus.Messages.Hosts;

/// <summary>One registered host and its status, in <see cref="RegisteredHosts"/>.</summary>
public sealed record RegisteredHost
{
    public required HostRegistered Registration { get; init; }
    public required HostStatus Status { get; init; }
}
