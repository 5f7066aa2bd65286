namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// Reads a BMC's identity and reads and cuts its host's power. Each call logs in with the login
/// of the host named (<see cref="BmcCredentials"/>). Fencing depends on this, tests may fake it.
/// </summary>
public interface IBmcPowerClient
{
    /// <summary>Asks the BMC for the chassis power state (<c>chassis power status</c>).</summary>
    Task<BmcCallResult> GetPowerAsync(string hostId, BmcEndpoint bmc, CancellationToken cancellationToken);

    /// <summary>
    /// Cuts the chassis power at once (<c>chassis power off</c>, not a graceful shutdown). Success
    /// means the BMC accepted the command; a fence is proven by reading the state back.
    /// </summary>
    Task<BmcCallResult> PowerOffAsync(string hostId, BmcEndpoint bmc, CancellationToken cancellationToken);

    /// <summary>Asks the BMC who it is (<c>mc guid</c>): its system GUID, in <see cref="BmcCallResult.SystemGuid"/>.</summary>
    Task<BmcCallResult> GetGuidAsync(string hostId, BmcEndpoint bmc, CancellationToken cancellationToken);
}
