using CloudBus.AgentClient;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.Messages.Ha;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Investigation;

/// <summary>
/// One investigation round: a direct check from the orchestrator, then neighbours of the suspect's
/// cluster watch its storage heartbeat and try to reach it. Returns the verdict with every
/// observation as evidence.
/// </summary>
public sealed class HostProbe(HostDirectory directory, HostAgentClient agents, NeighbourHeartbeats heartbeats, IOptions<HaOptions> options, TimeProvider clock)
{
    public async Task<HostInvestigated> InvestigateAsync(InvestigateHost request, CancellationToken cancellationToken)
    {
        var evidence = new List<string>();
        var verdict = await DecideAsync(request.HostId, evidence, cancellationToken);
        return new HostInvestigated
        {
            InvestigationId = request.InvestigationId, HostId = request.HostId, Attempt = request.Attempt, Verdict = verdict.Value,
            Reason = verdict.Reason, Evidence = evidence, InvestigatedAt = clock.GetUtcNow(),
        };
    }

    private async Task<Verdict> DecideAsync(string hostId, List<string> evidence, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(hostId, cancellationToken) is not { } host)
            return new(HostVerdict.Undetermined, $"host {hostId} was never registered with HA, so it has no known neighbours");

        if (await AnswersDirectlyAsync(host, evidence, cancellationToken))
            return VerdictRules.Decide(answeredDirectly: true, []);

        var neighbours = NeighbourPicker.Pick(host, await directory.InClusterAsync(host.Cluster, cancellationToken), options.Value.NeighboursToAsk);
        evidence.Add(neighbours.Count == 0
            ? $"no connected neighbour in cluster {host.Cluster}"
            : $"asked neighbours {string.Join(", ", neighbours.Select(n => n.HostId))} (stale after {options.Value.HeartbeatStaleAfter.TotalSeconds:0.#}s)");
        var watches = await heartbeats.WatchAsync(host, neighbours, options.Value.HeartbeatStaleAfter, askReach: true, cancellationToken);
        evidence.AddRange(watches.Select(w => w.Describe()));
        return VerdictRules.Decide(answeredDirectly: false, watches);
    }

    private async Task<bool> AnswersDirectlyAsync(KnownHost host, List<string> evidence, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.AgentCallTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var ping = await agents.PingAsync(host.AgentAddresses, host.HostId, linked.Token);
            evidence.Add($"direct check: answered at {ping.At:O} (boot {ping.BootId})");
            return true;
        }
        catch (AgentUnavailableException exception) when (!cancellationToken.IsCancellationRequested)
        {
            evidence.Add($"direct check: {exception.Message}");
            return false;
        }
    }
}
