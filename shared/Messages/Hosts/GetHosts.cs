namespace CloudBus.Messages.Hosts;

/// <summary>
/// Asks VmLifecycle for every registered host and its last known status (a service that starts
/// after hosts were registered catches up with it). Answered by publishing <see cref="RegisteredHosts"/>
/// to every instance of the services that catch up, never by a reply.
/// </summary>
public sealed record GetHosts;
