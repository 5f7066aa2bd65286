using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Investigation;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Fencing;

/// <summary>
/// Proves a Down host can no longer run its VMs, one step after another: power it off through its
/// BMC (only one that proves to be the host's own, <see cref="BmcIdentities"/>) and read the state
/// back; otherwise wait for the proof that it fenced itself (its heartbeat silent past the agents'
/// self-fence time plus a margin). When neither step proves it, the answer
/// is <see cref="HostFencingFailed"/>: nothing may be restarted.
/// </summary>
public sealed class FencingChain(
    HostDirectory directory, IBmcPowerClient bmcs, BmcIdentities identities, NeighbourHeartbeats heartbeats, IOptions<HaOptions> options, TimeProvider clock)
{
    /// <summary>The fencing methods, as <see cref="HostFenced.Method"/> names them.</summary>
    public const string BmcPowerOff = "BMC power off";
    public const string SelfFence = "self-fence";

    public async Task<FencingResult> FenceAsync(FenceHost request, CancellationToken cancellationToken)
    {
        var evidence = new List<string>();
        var host = await directory.FindAsync(request.HostId, cancellationToken);
        if (host is null)
        {
            evidence.Add($"host {request.HostId} was never registered with HA: no BMC and no neighbours known");
            return Failed(request, evidence);
        }

        if (await PowerOffAsync(host, evidence, cancellationToken))
            return Fenced(request, BmcPowerOff, evidence);
        if (await SelfFencedAsync(host, evidence, cancellationToken))
            return Fenced(request, SelfFence, evidence);
        return Failed(request, evidence);
    }

    /// <summary>Through each of the host's BMC addresses in turn until one powers it off and reads back off.</summary>
    private async Task<bool> PowerOffAsync(KnownHost host, List<string> evidence, CancellationToken cancellationToken)
    {
        if (host.BmcAddresses.Count == 0)
        {
            evidence.Add("BMC: none registered for this host");
            return false;
        }

        foreach (var address in host.BmcAddresses)
        {
            if (!BmcAddresses.TryParse(address, out var bmcHost, out var bmcPort))
                evidence.Add($"BMC: unusable address '{address}'");
            else if (await PowerOffThroughAsync(host, new BmcEndpoint(bmcHost, bmcPort), evidence, cancellationToken))
                return true;
        }
        return false;
    }

    private async Task<bool> PowerOffThroughAsync(KnownHost host, BmcEndpoint bmc, List<string> evidence, CancellationToken cancellationToken)
    {
        // Whoever answers at the address must be the host's own BMC: another host's, or a board
        // swapped in behind the address, would power off a machine that is not the one failing.
        var identity = await identities.CheckAsync(host, bmc, cancellationToken);
        evidence.Add($"BMC {bmc}: {identity.Explanation}");
        if (!identity.Confirmed) return false;

        var powerOff = await bmcs.PowerOffAsync(host.HostId, bmc, cancellationToken);
        if (!powerOff.Succeeded)
        {
            evidence.Add($"BMC {bmc}: power off failed: {powerOff.Error}");
            return false;
        }

        // The BMC accepting the command is not proof; the state read back is.
        var readBack = await bmcs.GetPowerAsync(host.HostId, bmc, cancellationToken);
        var confirmed = readBack is { Succeeded: true, Power: BmcPowerState.Off };
        evidence.Add(confirmed
            ? $"BMC {bmc}: power off accepted, read back: off"
            : $"BMC {bmc}: power off accepted, but reading it back gave {readBack}");
        return confirmed;
    }

    private async Task<bool> SelfFencedAsync(KnownHost host, List<string> evidence, CancellationToken cancellationToken)
    {
        var threshold = options.Value.SelfFenceAfter + options.Value.SelfFenceMargin;
        var neighbours = NeighbourPicker.Pick(host, await directory.InClusterAsync(host.Cluster, cancellationToken), options.Value.NeighboursToAsk);
        var watches = await heartbeats.WatchAsync(host, neighbours, threshold, askReach: false, cancellationToken);
        evidence.AddRange(watches.Select(w => w.Describe()));
        var proven = SelfFenceProof.Holds(watches, options.Value.SelfFenceMargin, out var explanation);
        evidence.Add($"self-fence (silent for {threshold.TotalSeconds:0.#}s needed): {explanation}");
        return proven;
    }

    private FencingResult Fenced(FenceHost request, string method, List<string> evidence) => new(new HostFenced
    {
        InvestigationId = request.InvestigationId, HostId = request.HostId, Attempt = request.Attempt, Method = method,
        Evidence = evidence, FencedAt = clock.GetUtcNow(),
    }, null);

    private FencingResult Failed(FenceHost request, List<string> evidence) => new(null, new HostFencingFailed
    {
        InvestigationId = request.InvestigationId, HostId = request.HostId, Attempt = request.Attempt, Evidence = evidence, FailedAt = clock.GetUtcNow(),
    });
}
