namespace CloudBus.Messages.Vms;

/// <summary>Start a VM (send to <see cref="VmCommands.Address"/>). Its end is published as <see cref="VmCommandCompleted"/>.</summary>
public sealed record StartVm
{
    public required Guid VmId { get; init; }
    /// <summary>Makes the command idempotent: a repeat with the same id does nothing twice.</summary>
    public required Guid OperationId { get; init; }
    /// <summary>Only this host, when set.</summary>
    public string? HostId { get; init; }
    /// <summary>Hosts with any of these tags first (HA restarts prefer <c>ha</c>).</summary>
    public IReadOnlyList<string> PreferredTags { get; init; } = [];
    /// <summary>Hosts never to use (for example the failed host).</summary>
    public IReadOnlyList<string> ExcludedHostIds { get; init; } = [];
}
