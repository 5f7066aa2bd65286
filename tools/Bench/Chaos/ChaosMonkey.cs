namespace CloudBus.Bench.Chaos;

/// <summary>
/// Decides, once a second for the length of the run, what to break next: each kind of fault has
/// its chance per second and its range of durations, all drawn from one seeded random sequence.
/// Every fault heals itself after its time (hosts also wait for HA), and all heal once the chaos ends.
/// </summary>
public sealed class ChaosMonkey(ChaosStack stack, HostChaos hosts, ComponentChaos components, ServerFaults servers, ChaosLog log)
{
    // Chances per second: on average a host failure every 10 s (while fewer than three are failed),
    // a broker node every minute, the Postgres primary every 75 s, a service instance every 20 s.
    private const double HostFailureChance = 1.0 / 10;
    private const double BrokerKillChance = 1.0 / 60;
    private const double PostgresKillChance = 1.0 / 75;
    private const double ServiceKillChance = 1.0 / 20;

    /// <summary>Injects faults until <paramref name="duration"/> has passed, then waits until every one is healed.</summary>
    /// <param name="giveUp">The run's last deadline: hosts stop waiting for HA then.</param>
    public async Task RunAsync(int seed, TimeSpan duration, CancellationToken giveUp)
    {
        var random = new Random(seed);
        using var endOfChaos = CancellationTokenSource.CreateLinkedTokenSource(giveUp);
        endOfChaos.CancelAfter(duration);
        var faults = new List<Task>();
        while (!endOfChaos.IsCancellationRequested)
        {
            // Every chance is drawn every second, taken or not. The same seed makes the same choices
            // for as long as the run goes the same way; timing on a busy machine may make it differ.
            var (host, broker, postgres, service) = (random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble());
            if (host < HostFailureChance && hosts.Reserve(random) is { } hostId)
            {
                var kind = (HostFaultKind)random.Next(3);
                var minimum = TimeSpan.FromSeconds(kind.StopsVms() ? random.Next(20, 61) : random.Next(5, 46));
                faults.Add(hosts.FailAsync(hostId, kind, minimum, endOfChaos.Token, giveUp));
            }
            if (broker < BrokerKillChance && servers.BrokerNodes > 0 && components.Reserve("broker"))
                faults.Add(components.KillBrokerNodeAsync(random.Next(1, servers.BrokerNodes + 1), Seconds(random, 10, 40), endOfChaos.Token));
            if (postgres < PostgresKillChance && servers.PostgresNodes > 0 && components.Reserve("postgres"))
                faults.Add(components.KillPostgresPrimaryAsync(Seconds(random, 15, 45), endOfChaos.Token));
            if (service < ServiceKillChance)
            {
                var name = ChaosStack.ServiceNames[random.Next(ChaosStack.ServiceNames.Length)];
                var instance = stack.Instances[name][random.Next(ChaosStack.InstancesPerService)];
                var down = Seconds(random, 5, 30);
                if (components.Reserve(name)) faults.Add(components.KillServiceAsync(instance, down, endOfChaos.Token, giveUp));
            }
            await Task.Delay(TimeSpan.FromSeconds(1), endOfChaos.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        log.Write($"chaos over after {duration.TotalMinutes:0.#} min: healing every fault");
        await Task.WhenAll(faults);
        log.Write("every fault healed");
    }

    private static TimeSpan Seconds(Random random, int from, int to) => TimeSpan.FromSeconds(random.Next(from, to + 1));
}
