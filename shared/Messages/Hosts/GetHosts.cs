namespace CloudBus.Messages.Hosts;

/// <summary>
/// Asks VmLifecycle for every registered host and its last known status (a service that starts
/// after hosts were registered catches up with it). Answered with <see cref="RegisteredHosts"/>.
/// </summary>
public sealed record GetHosts;
