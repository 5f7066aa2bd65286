namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>Reads and cuts a host's power through its BMC. Fencing depends on this, tests may fake it.</summary>
public interface IBmcPowerClient
{
    /// <summary>Asks the BMC for the chassis power state (<c>chassis power status</c>).</summary>
    Task<BmcCallResult> GetPowerAsync(BmcEndpoint bmc, CancellationToken cancellationToken);

    /// <summary>
    /// Cuts the chassis power at once (<c>chassis power off</c>, not a graceful shutdown). Success
    /// means the BMC accepted the command; a fence is proven by reading the state back.
    /// </summary>
    Task<BmcCallResult> PowerOffAsync(BmcEndpoint bmc, CancellationToken cancellationToken);
}
