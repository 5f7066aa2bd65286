using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.VmLifecycle.Operations.Settlement;

/// <summary>How an interrupted operation ends: the event the VM takes (none when it already left its transitional state), the outcome, and why.</summary>
public sealed record Settlement(VmEvent? Event, VmCommandOutcome Outcome, string Why);
