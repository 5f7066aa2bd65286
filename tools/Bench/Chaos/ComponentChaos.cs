namespace CloudBus.Bench.Chaos;

/// <summary>
/// Kills pieces of the control plane and starts them again: a broker node, the Postgres primary,
/// one instance of a service (-9). Never two broker nodes, two Postgres nodes or two instances of
/// one service down at once; a piece that fails to come back keeps its place, so nothing more of
/// its kind is killed after it.
/// </summary>
public sealed class ComponentChaos(ChaosStack stack, ServerFaults servers, ChaosLog log)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _down = [];
    private int _brokerKills;
    private int _postgresKills;
    private int _serviceKills;

    public int BrokerKills => _brokerKills;
    public int PostgresKills => _postgresKills;
    public int ServiceKills => _serviceKills;

    /// <summary>Takes the place of <paramref name="piece"/> (a kind: "broker", "postgres", or a service's name) if none of its kind is down.</summary>
    public bool Reserve(string piece)
    {
        lock (_lock) return _down.Add(piece);
    }

    public Task KillBrokerNodeAsync(int node, TimeSpan down, CancellationToken endOfChaos) =>
        DownAndUpAsync("broker", $"broker node {node}", down,
            kill: async () =>
            {
                await servers.KillBrokerNodeAsync(node);
                Interlocked.Increment(ref _brokerKills);
            },
            start: () => servers.StartBrokerNodeAsync(node), endOfChaos);

    public async Task KillPostgresPrimaryAsync(TimeSpan down, CancellationToken endOfChaos)
    {
        int node;
        try
        {
            node = await servers.PostgresPrimaryAsync();
        }
        catch (InvalidOperationException failure)
        {
            log.Write($"no Postgres primary to kill now ({failure.Message})"); // a failover still under way
            Release("postgres");
            return;
        }
        await DownAndUpAsync("postgres", $"Postgres primary (node {node})", down,
            kill: async () =>
            {
                await servers.KillPostgresNodeAsync(node);
                Interlocked.Increment(ref _postgresKills);
            },
            start: () => servers.StartPostgresNodeAsync(node), endOfChaos);
    }

    /// <param name="giveUp">The run's last deadline: a restart that keeps crashing is not tried after it.</param>
    public Task KillServiceAsync(ChaosService instance, TimeSpan down, CancellationToken endOfChaos, CancellationToken giveUp) =>
        DownAndUpAsync(instance.Project, instance.Name, down,
            kill: () =>
            {
                instance.Kill();
                Interlocked.Increment(ref _serviceKills);
                return Task.CompletedTask;
            },
            start: () => instance.RestartAsync(stack.Http, giveUp), endOfChaos);

    private async Task DownAndUpAsync(string piece, string what, TimeSpan down, Func<Task> kill, Func<Task> start, CancellationToken endOfChaos)
    {
        try
        {
            log.Write($"kill {what} for {down.TotalSeconds:0}s");
            await kill();
            await Task.Delay(down, endOfChaos).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            log.Write($"start {what}");
            await start();
            log.Write($"{what} is back");
        }
        catch (Exception failure) when (failure is InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            log.Write($"{what}: {failure.Message}; it stays down, and nothing more of its kind is killed");
            return;
        }
        Release(piece);
    }

    private void Release(string piece)
    {
        lock (_lock) _down.Remove(piece);
    }
}
