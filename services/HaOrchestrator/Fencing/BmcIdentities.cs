using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using MassTransit;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>What checking a BMC's identity found: whether it may power its host off, and why (for the incident's evidence).</summary>
public sealed record BmcIdentityCheck(bool Confirmed, string Explanation);

/// <summary>
/// Binds each host's BMC to the host by the BMC's system GUID (<c>mc guid</c>) and checks it
/// before every power-off, as Pacemaker binds a fence device to the nodes it may fence. The GUID is
/// bound when the host is registered (or its BMC changed), else at the first fence; one GUID
/// belongs to one host. So a host registered with the BMC address of another registered host, or
/// a BMC address that now reaches a different board, never powers off a machine that is not the
/// host being fenced.
/// </summary>
public sealed partial class BmcIdentities(HostDirectory directory, IBmcPowerClient bmcs, TimeProvider clock, ILogger<BmcIdentities> logger)
{
    /// <summary>Reads the GUID of the BMC at <paramref name="bmc"/> and checks (or binds) it as <paramref name="host"/>'s.</summary>
    public async Task<BmcIdentityCheck> CheckAsync(KnownHost host, BmcEndpoint bmc, CancellationToken cancellationToken)
    {
        var read = await bmcs.GetGuidAsync(host.HostId, bmc, cancellationToken);
        if (read.SystemGuid is not { } guid) return new(false, $"its identity could not be read ({read}), so it is not trusted to power anything off");
        if (host.BmcGuid is { } bound)
            return guid == bound
                ? new(true, $"identity {guid}, as bound to host {host.HostId}")
                : new(false, $"answers as {guid}, but host {host.HostId}'s BMC is bound as {bound}: it may be another machine's BMC. "
                    + $"If the host's BMC board was replaced, an admin re-binds it with PUT /hosts/{host.HostId}/bmc");
        return await BindAsync(host.HostId, guid, cancellationToken);
    }

    /// <summary>
    /// Binds the BMC of a host just registered (or whose BMC an admin just changed) through the
    /// first of its addresses that answers; a BMC that does not answer now is bound at the first
    /// fence. One that turns out to be another host's raises an alert at once, not at the fence.
    /// </summary>
    public async Task BindNewAsync(string hostId, IPublishEndpoint alerts, CancellationToken cancellationToken)
    {
        if (await TryBindNewAsync(hostId, cancellationToken) is not { } refusal) return;
        var message = $"host {hostId}: {refusal}";
        LogRefused(message);
        await alerts.Publish(new HaAlertRaised { Subject = hostId, Message = message, RaisedAt = clock.GetUtcNow() }, cancellationToken);
    }

    /// <returns>Why the BMC is not bound to the host; null when it is, when it has none, or when it did not answer.</returns>
    private async Task<string?> TryBindNewAsync(string hostId, CancellationToken cancellationToken)
    {
        var host = await directory.FindAsync(hostId, cancellationToken);
        if (host is null || host.BmcAddresses.Count == 0 || host.BmcGuid is not null) return null;

        var failures = new List<string>();
        foreach (var address in host.BmcAddresses)
        {
            if (!BmcAddresses.TryParse(address, out var bmcHost, out var port)) continue;
            var read = await bmcs.GetGuidAsync(hostId, new BmcEndpoint(bmcHost, port), cancellationToken);
            if (read.SystemGuid is null)
            {
                failures.Add($"{address}: {read}");
                continue;
            }

            var check = await BindAsync(hostId, read.SystemGuid, cancellationToken);
            if (check.Confirmed) LogBound(hostId, address, read.SystemGuid);
            return check.Confirmed ? null : $"the BMC at {address} {check.Explanation}";
        }

        LogNotBoundYet(hostId, string.Join("; ", failures));
        return null;
    }

    private async Task<BmcIdentityCheck> BindAsync(string hostId, string systemGuid, CancellationToken cancellationToken) =>
        await directory.BindBmcAsync(hostId, systemGuid, cancellationToken) switch
        {
            { } owner when owner == hostId => new(true, $"identity {systemGuid}, bound to host {hostId} now (its first answer)"),
            { } other => new(false, $"answers as {systemGuid}, the BMC of host {other}: one BMC fences one host, so it will not power anything off for host {hostId}"),
            null => new(false, $"answers as {systemGuid}, but host {hostId}'s BMC was bound to another identity meanwhile"),
        };

    [LoggerMessage(EventId = 522, Level = LogLevel.Information, Message = "BMC of host {HostId} at {Address} bound by its identity {SystemGuid}")]
    private partial void LogBound(string hostId, string address, string systemGuid);

    [LoggerMessage(EventId = 523, Level = LogLevel.Warning, Message = "BMC of host {HostId} not bound yet (it is bound at the first fence): {Failures}")]
    private partial void LogNotBoundYet(string hostId, string failures);

    [LoggerMessage(EventId = 524, Level = LogLevel.Error, Message = "HA alert: {Message}")]
    private partial void LogRefused(string message);
}
