namespace CloudBus.Messages.Vms;

/// <summary>
/// Asks VmLifecycle for the current state of every VM placed on a host (a service that starts
/// after VMs were placed catches up with it). Answered with <see cref="VmStates"/>.
/// </summary>
public sealed record GetVmStates;
