namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// The back door that breaks simulated hosts on purpose. Never subject to the faults it injects.
/// Each method returns the host as it is afterwards, or null for an unknown host.
/// </summary>
public sealed class FaultInjector(SimulatedFleet fleet, ILogger<FaultInjector> logger)
{
    public bool? IsPoweredOn(string hostId) => fleet.WithHost<bool?>(hostId, (host, _) => host.PoweredOn, ifUnknown: null);

    public FleetHostView? SetPower(string hostId, bool on) => on ? PowerOn(hostId) : PowerOff(hostId);

    /// <summary>All VMs die at once, heartbeats stop, every request to the host fails.</summary>
    public FleetHostView? PowerOff(string hostId) => fleet.WithHost<FleetHostView?>(hostId, (host, now) =>
    {
        if (host.PoweredOn)
        {
            logger.HostPoweredOff(hostId, host.PowerOff(now));
        }

        return host.View();
    }, ifUnknown: null);

    /// <summary>Boots with no VMs and a new boot id; heartbeats resume. Network faults stay until healed.</summary>
    public FleetHostView? PowerOn(string hostId) => fleet.WithHost<FleetHostView?>(hostId, (host, now) =>
    {
        if (!host.PoweredOn)
        {
            host.PowerOn(now);
            logger.HostPoweredOn(hostId, host.BootId);
        }

        return host.View();
    }, ifUnknown: null);

    public FleetHostView? CutControlPlane(string hostId) =>
        ChangeFaults(hostId, "cut-control-plane", f => f with { CutOffFromControlPlane = true });

    public FleetHostView? Isolate(string hostId) =>
        ChangeFaults(hostId, "isolate", f => f with { Isolated = true });

    public FleetHostView? Slow(string hostId, int delayMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delayMs);
        return ChangeFaults(hostId, $"slow {delayMs} ms", f => f with { DelayMs = delayMs });
    }

    public FleetHostView? Flaky(string hostId, double failureRate)
    {
        if (!(failureRate is >= 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(failureRate), failureRate, "A failure rate is between 0.0 and 1.0.");
        }

        return ChangeFaults(hostId, $"flaky {failureRate:0.###}", f => f with { FailureRate = failureRate });
    }

    /// <summary>Clears every fault but power.</summary>
    public FleetHostView? Heal(string hostId) => ChangeFaults(hostId, fault: null, _ => HostFaults.None);

    /// <summary>The VM disappears from its host, as if its qemu process died.</summary>
    public CrashVmOutcome CrashVm(string hostId, string vmId)
    {
        var outcome = fleet.WithHost(hostId, (host, now) =>
            host.StopVm(vmId, VmRunEndReason.Crashed, now).WasRunning ? CrashVmOutcome.Crashed : CrashVmOutcome.VmNotOnHost,
            ifUnknown: CrashVmOutcome.UnknownHost);
        if (outcome == CrashVmOutcome.Crashed)
        {
            logger.VmCrashed(vmId, hostId);
        }

        return outcome;
    }

    /// <param name="fault">What was injected, for the log; null when healing.</param>
    private FleetHostView? ChangeFaults(string hostId, string? fault, Func<HostFaults, HostFaults> change)
    {
        var view = fleet.WithHost<FleetHostView?>(hostId, (host, _) =>
        {
            host.Faults = change(host.Faults);
            return host.View();
        }, ifUnknown: null);
        if (view is not null && fault is not null)
        {
            logger.FaultInjected(hostId, fault);
        }
        else if (view is not null)
        {
            logger.FaultsHealed(hostId);
        }

        return view;
    }
}
