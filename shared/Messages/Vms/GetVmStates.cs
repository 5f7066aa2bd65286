namespace CloudBus.Messages.Vms;

/// <summary>
/// Asks VmLifecycle for the current state of every VM placed on a host (a service that starts
/// after VMs were placed catches up with it). Answered by publishing <see cref="VmStates"/> to every
/// instance of the services that catch up, never by a reply.
/// </summary>
public sealed record GetVmStates;
