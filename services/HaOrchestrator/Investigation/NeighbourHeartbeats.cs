using CloudBus.AgentClient;
using CloudBus.HaOrchestrator.Hosts;
using Microsoft.Extensions.Options;

namespace CloudBus.HaOrchestrator.Investigation;

/// <summary>
/// Asks neighbours to read a suspect's storage heartbeat, again every read interval, until each
/// neighbour's readings settle (advancing, or silent past the threshold) or time runs out.
/// Used by investigation (threshold: stale-after) and by the self-fence step (threshold:
/// self-fence time plus margin).
/// </summary>
public sealed class NeighbourHeartbeats(HostAgentClient agents, IOptions<HaOptions> options, TimeProvider clock)
{
    private HaOptions Options => options.Value;

    /// <summary>How long a watch with <paramref name="threshold"/> may need: the threshold, one read interval and one call.</summary>
    public TimeSpan LongestWatch(TimeSpan threshold) => threshold + Options.HeartbeatReadInterval + Options.AgentCallTimeout;

    public async Task<IReadOnlyList<HeartbeatWatch>> WatchAsync(
        KnownHost suspect, IReadOnlyList<KnownHost> neighbours, TimeSpan threshold, bool askReach, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + LongestWatch(threshold);
        var watches = neighbours.Select(n => new HeartbeatWatch(n.HostId, threshold)).ToList();
        await Task.WhenAll(neighbours.Select((neighbour, i) => WatchOneAsync(neighbour, suspect, watches[i], deadline, askReach, cancellationToken)));
        return watches;
    }

    private async Task WatchOneAsync(
        KnownHost neighbour, KnownHost suspect, HeartbeatWatch watch, DateTimeOffset deadline, bool askReach, CancellationToken cancellationToken)
    {
        var suspectId = suspect.HostId;
        if (askReach)
        {
            try
            {
                watch.ReachesSuspect = (await CallAsync(token => agents.PingFromNeighbourAsync(neighbour.AgentAddresses, neighbour.HostId, suspectId, suspect.AgentAddresses, token),
                    cancellationToken)).Reachable;
            }
            catch (AgentUnavailableException) when (!cancellationToken.IsCancellationRequested)
            {
                // Unknown: a neighbour that cannot be asked neither confirms nor denies reaching the suspect.
            }
        }

        while (true)
        {
            try
            {
                var heartbeat = await CallAsync(token => agents.ReadNeighbourHeartbeatAsync(neighbour.AgentAddresses, neighbour.HostId, suspectId, token),
                    cancellationToken);
                watch.Read(heartbeat.Sequence, TimeSpan.FromSeconds(heartbeat.AgeSeconds),
                    heartbeat.SelfFenceAfterSeconds is { } stated ? TimeSpan.FromSeconds(stated) : null, heartbeat.Watchdog);
            }
            catch (AgentUnavailableException exception) when (!cancellationToken.IsCancellationRequested)
            {
                watch.Failed(exception.Message);
            }

            if (watch.IsSettled || clock.GetUtcNow() + Options.HeartbeatReadInterval > deadline) return;
            await Task.Delay(Options.HeartbeatReadInterval, clock, cancellationToken);
        }
    }

    /// <summary>One call to an agent, cut off after <see cref="HaOptions.AgentCallTimeout"/> on the injected clock.</summary>
    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Options.AgentCallTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        return await call(linked.Token);
    }
}
