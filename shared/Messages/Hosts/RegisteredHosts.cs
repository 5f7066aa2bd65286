namespace CloudBus.Messages.Hosts;

/// <summary>Every registered host, as registered, with the status VmLifecycle last heard of.</summary>
public sealed record RegisteredHosts
{
    public required IReadOnlyList<RegisteredHost> Hosts { get; init; }
}
