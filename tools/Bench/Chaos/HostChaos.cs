namespace CloudBus.Bench.Chaos;

/// <summary>
/// Fails hosts and heals them. A host whose VMs stopped (power off, isolation) is healed and
/// powered on only once HA is done with it (an incident closed since the fault, none open), as an
/// operator would after a repair: a host back before it is fenced is a reboot, whose VMs HA by
/// design does not restart (they stopped on a live host), and a power-on while HA fences would
/// race the BMC. A host cut off from the control plane only is healed whenever its time is up.
/// </summary>
public sealed class HostChaos(ChaosStack stack, ChaosLog log)
{
    /// <summary>
    /// Hosts failed at once, at most (those waiting for HA included): the other 9 of 12 hold every
    /// VM with room to spare (9 x 16 cores for 48 x 2), and 3 of 12 stays under the brake, which
    /// holds fencing for an operator once half a cluster is suspect.
    /// </summary>
    public const int MaxFailedAtOnce = 3;
    /// <summary>The chance that a failure takes the host healed last (when it is healthy): the same host again, often soon after it healed.</summary>
    private const double SameHostAgainShare = 0.3;
    /// <summary>Longest wait for HA to settle a failed host before it is healed anyway (the overdue check says why).</summary>
    private static readonly TimeSpan SettleCap = TimeSpan.FromMinutes(4);

    private readonly Lock _lock = new();
    private readonly HashSet<string> _failed = [];
    private readonly List<HostFailure> _failures = [];
    private string? _lastHealed;

    public IReadOnlyList<HostFailure> Failures
    {
        get { lock (_lock) return [.. _failures]; }
    }

    /// <summary>Picks a healthy host and takes its place among the failed, or null when too many have failed already.</summary>
    public string? Reserve(Random random)
    {
        var sameAgain = random.NextDouble() < SameHostAgainShare;
        var pick = random.Next(stack.HostIds.Count);
        lock (_lock)
        {
            if (_failed.Count >= MaxFailedAtOnce) return null;
            var healthy = stack.HostIds.Where(h => !_failed.Contains(h)).ToList();
            var host = sameAgain && _lastHealed is { } last && healthy.Contains(last) ? last : healthy[pick % healthy.Count];
            _failed.Add(host);
            return host;
        }
    }

    /// <summary>Fails a host <see cref="Reserve"/> gave, heals it after <paramref name="minimum"/> (earlier once the chaos ends) and when HA is done.</summary>
    /// <param name="giveUp">Cancelled when the run's last deadline passed: heal without waiting for HA.</param>
    public async Task FailAsync(string hostId, HostFaultKind kind, TimeSpan minimum, CancellationToken endOfChaos, CancellationToken giveUp)
    {
        try
        {
            var at = DateTimeOffset.UtcNow;
            await stack.BackDoorPostAsync($"hosts/{hostId}/faults/{kind.Endpoint()}");
            lock (_lock) _failures.Add(new HostFailure(hostId, kind, at));
            log.Write($"{kind.Endpoint()} {hostId} for {minimum.TotalSeconds:0}s{(kind.StopsVms() ? " at least, until HA has settled it" : "")}");

            await Task.Delay(minimum, endOfChaos).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (kind.StopsVms()) await WaitUntilSettledAsync(hostId, at, giveUp);
            await stack.BackDoorPostAsync($"hosts/{hostId}/faults/heal");
            await stack.BackDoorPostAsync($"hosts/{hostId}/faults/power-on");
            log.Write($"heal {hostId} ({kind.Endpoint()} {(DateTimeOffset.UtcNow - at).TotalSeconds:0}s ago)");
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
        {
            // The agent is the hardware and never killed: this is a benchmark bug or a stuck machine.
            log.Write($"host {hostId}: the agent's back door failed ({failure.Message}); the host is left as it is");
            return; // keeps its place among the failed: never more than the maximum really down
        }

        lock (_lock)
        {
            _failed.Remove(hostId);
            _lastHealed = hostId;
        }
    }

    private async Task WaitUntilSettledAsync(string hostId, DateTimeOffset since, CancellationToken giveUp)
    {
        using var capped = CancellationTokenSource.CreateLinkedTokenSource(giveUp);
        capped.CancelAfter(SettleCap);
        while (!capped.IsCancellationRequested)
        {
            try
            {
                var incidents = await stack.GetAsync<List<IncidentView>>("HaOrchestrator", $"incidents?hostId={hostId}");
                if (incidents.Any(i => i.ClosedAt > since) && !incidents.Any(i => i.ClosedAt is null)) return;
            }
            catch (HttpRequestException)
            {
                // Both instances away (killed, or the database failing over): ask again.
            }
            await Task.Delay(TimeSpan.FromSeconds(2), capped.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        log.Write($"host {hostId}: HA has not closed an incident {(DateTimeOffset.UtcNow - since).TotalSeconds:0}s after the fault; healing it anyway");
    }
}
