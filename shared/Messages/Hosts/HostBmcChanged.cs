namespace CloudBus.Messages.Hosts;

/// <summary>
/// An admin changed a registered host's BMC (<c>PUT /hosts/{id}/bmc</c>): a new address, or the
/// same address with a replaced board. HA forgets the BMC identity it had bound to the host, binds
/// the new one, and asks an operator before fencing through it for a while.
/// </summary>
public sealed record HostBmcChanged
{
    public required string HostId { get; init; }
    /// <summary>The host's BMC as <c>host:port</c>; null when it has none any more.</summary>
    public string? BmcAddress { get; init; }
    public IReadOnlyList<string> AlternateBmcAddresses { get; init; } = [];
    /// <summary>Who changed it: the admin token's subject.</summary>
    public required string ChangedBy { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
