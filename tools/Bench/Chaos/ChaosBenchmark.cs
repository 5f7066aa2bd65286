namespace CloudBus.Bench.Chaos;

/// <summary>
/// The control plane under chaos: for a fixed time and a fixed seed, hosts keep failing (power off,
/// isolation, cut off from the control plane; healed after a while, the same host again too) while
/// broker nodes, the Postgres primary and service instances are killed (-9) and started again.
/// Throughout and at the end it checks that no VM ever ran twice, that every HA VM of a failed host
/// runs again, that no incident stays open past its deadlines, and that no message is parked in an
/// error queue without an alert. Exits non-zero when one of them broke.
/// </summary>
public static class ChaosBenchmark
{
    /// <summary>After the chaos, how long everything has to heal and settle before the final checks.</summary>
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromMinutes(2);
    /// <summary>How long the settling may stand still, with HA working on nothing, before nothing more is expected.</summary>
    private static readonly TimeSpan StandStill = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (ChaosOptions.Parse(args, out var problem) is not { } options)
        {
            Console.Error.WriteLine($"usage: ./bench.sh chaos [--minutes M] [--seed S]: {problem}");
            return 2;
        }
        using var interrupted = new CancellationTokenSource();
        Console.CancelKeyPress += (_, press) =>
        {
            press.Cancel = true; // stop the services and the fleet before exiting, not in the middle of a fault
            interrupted.Cancel();
        };
        return await BenchSupport.WithHeartbeatDirectoryAsync(heartbeats => MeasureAsync(options, heartbeats, interrupted.Token));
    }

    private static async Task<int> MeasureAsync(ChaosOptions options, string heartbeats, CancellationToken interrupted)
    {
        using var log = new ChaosLog(Directory.CreateTempSubdirectory("cloudbus-chaos-").FullName);
        BenchSupport.Print("chaos.seed", options.Seed);
        log.Write($"seed {options.Seed}, {options.Minutes:0.#} min of chaos; fault log and every instance's output in {log.Directory}");
        var servers = ServerFaults.FromEnvironment();
        if (servers.BrokerNodes == 0) log.Write("a single broker node: no broker node is killed");
        if (servers.PostgresNodes == 0) log.Write("a single Postgres: its primary is not killed");

        var alerts = new AlertLines();
        await using var stack = new ChaosStack(log, alerts, heartbeats);
        try
        {
            await stack.StartAsync().WaitAsync(interrupted);
            var hosts = new HostChaos(stack, log);
            var components = new ComponentChaos(stack, servers, log);
            var watch = new InvariantWatch(stack, log);
            var supervisor = new Supervisor(stack);
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
            giveUp.CancelAfter(options.Duration + SettleDeadline); // the run's last deadline
            using var stopWatching = new CancellationTokenSource();
            var watching = Task.WhenAll(watch.RunAsync(stopWatching.Token), supervisor.RunAsync(stopWatching.Token, giveUp.Token));

            await new ChaosMonkey(stack, hosts, components, servers, log).RunAsync(options.Seed, options.Duration, giveUp.Token).WaitAsync(interrupted);
            await SettleAsync(stack, log, giveUp.Token);
            interrupted.ThrowIfCancellationRequested();
            await stopWatching.CancelAsync();
            await watching;

            await watch.CheckDoubleRunsAsync();
            if (!await watch.CheckIncidentsAsync(atTheEnd: true)) log.Write("HaOrchestrator did not answer: incidents not checked at the end");
            var intervals = await stack.BackDoorGetAsync<List<RunInterval>>("audit/intervals");
            var running = SettleState.RunningOn(intervals);
            var lost = stack.Vms.Where(vm => !running[vm].Any()).ToList();
            foreach (var vm in lost)
                log.Write($"LOST: VM {vm} runs nowhere; its last run: {intervals.Where(i => i.VmId == vm.ToString()).MaxBy(i => i.StartedAt)?.ToString() ?? "none"}");
            var (parked, withoutAlert) = await ParkedMessageCheck.RunAsync(alerts, log);
            var restartTimes = RestartTimes.Measure(hosts.Failures, intervals);

            var failures = hosts.Failures;
            BenchSupport.Print("chaos.faults_injected", failures.Count + components.BrokerKills + components.PostgresKills + components.ServiceKills);
            BenchSupport.Print("chaos.host_failures", failures.Count);
            foreach (var kind in Enum.GetValues<HostFaultKind>()) BenchSupport.Print($"chaos.host_failures.{kind.Endpoint()}", failures.Count(f => f.Kind == kind));
            BenchSupport.Print("chaos.broker_kills", components.BrokerKills);
            BenchSupport.Print("chaos.postgres_kills", components.PostgresKills);
            BenchSupport.Print("chaos.service_kills", components.ServiceKills);
            BenchSupport.Print("chaos.service_crashes", supervisor.Crashes);
            BenchSupport.Print("chaos.ha_vms_lost", lost.Count);
            BenchSupport.Print("chaos.double_runs", watch.DoubleRuns);
            BenchSupport.Print("chaos.incidents_overdue", watch.OverdueIncidents);
            BenchSupport.Print("chaos.parked_messages", parked);
            BenchSupport.Print("chaos.parked_without_alert", withoutAlert);
            BenchSupport.Print("chaos.restarted_failures", restartTimes.Count);
            if (restartTimes.Count > 0) BenchSupport.Print("chaos.p99_all_running_s", BenchSupport.P99(restartTimes));
            log.Write($"fault log and every instance's output: {log.Directory}");
            return lost.Count == 0 && watch.DoubleRuns == 0 && watch.OverdueIncidents == 0 && withoutAlert == 0 ? 0 : 1;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            log.Write("interrupted: stopping every service instance, the BMCs and the fleet");
            return 130;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or TimeoutException or InvalidOperationException)
        {
            // The setup or a final read failed: no figures to give. The instances' logs say more.
            log.Write($"the benchmark failed, stopping everything: {failure}");
            return 1;
        }
    }

    /// <summary>
    /// Waits until every VM runs on exactly one host, HA has settled every incident and every host
    /// is Connected; or until nothing more can come: no incident unsettled and nothing changed for
    /// <see cref="StandStill"/> (a VM HA gave up on, or never heard of, stays where it is); or until
    /// the deadline.
    /// </summary>
    private static async Task SettleAsync(ChaosStack stack, ChaosLog log, CancellationToken deadline)
    {
        SettleState? state = null;
        var lastReport = log.Seconds;
        var lastChange = log.Seconds;
        while (true)
        {
            try
            {
                var previous = state;
                state = await SettleState.ReadAsync(stack);
                if (state.IsSettled)
                {
                    log.Write("settled: every VM runs on one host, every incident settled, every host Connected");
                    return;
                }
                if (previous is null || previous.ToString() != state.ToString()) lastChange = log.Seconds;
                if (state.UnsettledIncidents == 0 && log.Seconds - lastChange >= StandStill.TotalSeconds)
                {
                    log.Write($"not settled, and nothing moved for {StandStill.TotalSeconds:0}s with no incident open: {state}");
                    return;
                }
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException)
            {
                log.Write($"settling: no answer ({failure.Message})");
            }
            if (deadline.IsCancellationRequested)
            {
                log.Write($"not settled by the deadline: {state}");
                return;
            }
            if (log.Seconds - lastReport >= 15)
            {
                log.Write($"settling: {state}");
                lastReport = log.Seconds;
            }
            await Task.Delay(TimeSpan.FromSeconds(2), deadline).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
