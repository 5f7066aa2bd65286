using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.HaOrchestrator.Sagas;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Ha;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Sagas;
using CloudBus.ServiceDefaults.Scheduling;
using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>
/// Every path of the investigation saga, one message at a time, through MassTransit's test harness
/// on the real broker, with the real steps and a real database (incidents, outbox, restarts). The
/// rule under test: no FenceHost without a Down verdict (and the brake released), and no
/// ReleaseFencedHost without proof of fencing. A step's commands, timers and alerts are read from
/// the outbox the saga wrote them to in its own transaction (nothing dispatches them here).
/// </summary>
public sealed class InvestigationStateMachineTests : IAsyncLifetime
{
    private const string Suspect = "host-1";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private PrivateServers _servers = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<InvestigationStateMachine, InvestigationState> _saga = null!;
    private DateTimeOffset _suspectedAt;

    /// <summary>The investigation of the latest suspicion (its id is also its incident's).</summary>
    private Guid Investigation => NameBasedIds.InvestigationOf(Suspect, _suspectedAt);

    public async Task InitializeAsync()
    {
        _servers = await PrivateServers.CreateAsync();
        var database = _servers.Database.DataSource;
        var broker = _servers.VirtualHost.Environment;
        await new MigrationRunner(database, "ha_orchestrator", MigrationScript.LoadEmbedded(typeof(IncidentStore).Assembly))
            .MigrateAsync(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(database)
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new HaOptions()))
            .AddSingleton(new ScheduledMessages(database, "ha_orchestrator", _clock))
            .AddSingleton<HostDirectory>().AddSingleton<IncidentStore>().AddSingleton<IncidentTimeline>().AddSingleton<RestartStore>().AddSingleton<RestartSignal>()
            .AddSingleton<InvestigationSteps>().AddMetrics().AddSingleton<HaMetrics>()
            // One message at a time, so that a marker consumed after a message proves the message was handled.
            .AddMassTransitTestHarness(bus =>
            {
                // The service's own saga registration: its definition and its Postgres repository.
                bus.AddSagaStateMachine<InvestigationStateMachine, InvestigationState>(typeof(InvestigationStateDefinition))
                    .PostgresRepository("ha_orchestrator.investigations")
                    .Endpoint(endpoint => endpoint.ConcurrentMessageLimit = 1);
                bus.UsingRabbitMq((context, rabbit) =>
                {
                    rabbit.Host(broker["RabbitMq__Host"], ushort.Parse(broker["RabbitMq__Port"], System.Globalization.CultureInfo.InvariantCulture),
                        broker["RabbitMq__VirtualHost"], host =>
                        {
                            host.Username(broker["RabbitMq__Username"]);
                            host.Password(File.ReadAllText(broker["RabbitMq__PasswordFile"]).Trim());
                        });
                    rabbit.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
        // The harness only observes: messages travel through the real broker.
        Assert.Equal("rabbitmq", _harness.Bus.Address.Scheme);
        _saga = _harness.GetSagaStateMachineHarness<InvestigationStateMachine, InvestigationState>();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _servers.DisposeAsync();
    }

    private InvestigationStateMachine Machine => _saga.StateMachine;

    /// <summary>A cluster of <paramref name="hosts"/>, the suspect among them, <paramref name="otherSuspects"/> of the rest suspect too.</summary>
    private async Task ClusterAsync(int hosts, int otherSuspects = 0)
    {
        var directory = _provider.GetRequiredService<HostDirectory>();
        for (var i = 1; i <= hosts; i++)
        {
            var hostId = $"host-{i}";
            await directory.AddAsync(new HostRegistered
            {
                HostId = hostId, AgentAddress = new Uri("http://127.0.0.1:9/"), Cluster = "c", CpuCores = 4, MemoryMib = 4096,
                RegisteredAt = _clock.GetUtcNow(), BmcAddress = "127.0.0.1:623",
            }, default);
            var suspect = i == 1 || i <= 1 + otherSuspects;
            await directory.SetStatusAsync(hostId, suspect ? HostStatus.Suspect : HostStatus.Connected, _clock.GetUtcNow(), default);
        }
    }

    private Task PublishSuspicionAsync(DateTimeOffset suspectedAt) =>
        _harness.Bus.Publish(new HostSuspected { HostId = Suspect, LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = ["timeout"], SuspectedAt = suspectedAt });

    /// <summary>A new suspicion of the host, now: a new investigation, which starts investigating.</summary>
    private async Task SuspectAsync()
    {
        _suspectedAt = _clock.GetUtcNow();
        await PublishSuspicionAsync(_suspectedAt);
        await InStateAsync(Machine.Investigating);
    }

    private Task VerdictAsync(HostVerdict verdict, int attempt = 1) =>
        _harness.Bus.Publish(new HostInvestigated
        {
            InvestigationId = Investigation, HostId = Suspect, Attempt = attempt, Verdict = verdict, Reason = $"test says {verdict}",
            Evidence = ["test"], InvestigatedAt = _clock.GetUtcNow(),
        });

    private Task FencedAsync(int attempt = 1) =>
        _harness.Bus.Publish(new HostFenced { InvestigationId = Investigation, HostId = Suspect, Attempt = attempt, Method = "BMC power off", Evidence = [], FencedAt = _clock.GetUtcNow() });

    /// <summary>The investigation's state as saved in Postgres; null once it has finished (its row deleted).</summary>
    private async Task<string?> SavedStateAsync(Guid? investigation = null)
    {
        await using var connection = await _servers.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT current_state FROM ha_orchestrator.investigations WHERE correlation_id = @id", new { id = investigation ?? Investigation });
    }

    /// <summary>Waits for the saga to be in <paramref name="state"/>, then checks that its incident's status is that state too.</summary>
    private async Task InStateAsync(State state)
    {
        await Eventually.HoldsAsync(async () => await SavedStateAsync() == state.Name, TimeSpan.FromSeconds(10), $"the investigation to be {state.Name}");
        var incident = await _provider.GetRequiredService<IncidentStore>().GetAsync(Investigation, default);
        Assert.Equal(state.Name, incident?.Status.ToString());
    }

    private Task FinishedAsync() =>
        Eventually.HoldsAsync(async () => await SavedStateAsync() is null, TimeSpan.FromSeconds(10), "the investigation to finish");

    /// <summary>
    /// Waits until the saga has handled everything published so far: it consumes the latest
    /// suspicion again (ignored once past opening) after them, one message at a time.
    /// </summary>
    private async Task SettleAsync()
    {
        var before = _saga.Consumed.Select<HostSuspected>().Count();
        await PublishSuspicionAsync(_suspectedAt);
        await Eventually.HoldsAsync(() => Task.FromResult(_saga.Consumed.Select<HostSuspected>().Count() > before), TimeSpan.FromSeconds(10), "the saga to catch up");
    }

    /// <summary>Every <typeparamref name="T"/> the saga has committed to the outbox so far, once it handled everything published.</summary>
    private async Task<IReadOnlyList<T>> OutboxAsync<T>() where T : class
    {
        await SettleAsync();
        await using var connection = await _servers.Database.DataSource.OpenConnectionAsync();
        var payloads = await connection.QueryAsync<string>(
            "SELECT payload::text FROM ha_orchestrator.scheduled_messages WHERE message_type LIKE @type ORDER BY due_at",
            new { type = typeof(T).FullName + ",%" });
        return payloads.Select(p => System.Text.Json.JsonSerializer.Deserialize<T>(p, System.Text.Json.JsonSerializerOptions.Web)!).ToList();
    }

    private async Task<IReadOnlyList<T>> OutboxOfThisInvestigationAsync<T>(Func<T, Guid> investigationOf) where T : class =>
        (await OutboxAsync<T>()).Where(m => investigationOf(m) == Investigation).ToList();

    [Fact]
    public void Every_state_of_an_investigation_is_an_incident_status()
    {
        var running = Machine.States.Where(state => state != Machine.Initial && state != Machine.Final).Select(state => state.Name).ToList();
        Assert.Equal(7, running.Count);
        Assert.All(running, name => Assert.True(Enum.TryParse<IncidentStatus>(name, out _), $"{name} is not an IncidentStatus"));
    }

    [Fact]
    public async Task An_alive_verdict_fences_nothing_and_looks_again_later()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        Assert.Single(await OutboxOfThisInvestigationAsync<InvestigateHost>(m => m.InvestigationId));

        await VerdictAsync(HostVerdict.Alive);
        await InStateAsync(Machine.Disconnected);
        Assert.Empty(await OutboxAsync<FenceHost>());
        Assert.Single(await OutboxAsync<HaAlertRaised>());
        var retry = Assert.Single(await OutboxOfThisInvestigationAsync<InvestigationRetryDue>(m => m.InvestigationId));

        await _harness.Bus.Publish(retry);
        await InStateAsync(Machine.Investigating);
        Assert.Equal([1, 2], (await OutboxOfThisInvestigationAsync<InvestigateHost>(m => m.InvestigationId)).Select(m => m.Attempt));
    }

    [Fact]
    public async Task An_undetermined_verdict_fences_nothing_and_a_stale_answer_changes_nothing()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();

        await VerdictAsync(HostVerdict.Down, attempt: 7); // an answer to a round that is not the current one
        await SettleAsync();
        await InStateAsync(Machine.Investigating);

        await VerdictAsync(HostVerdict.Undetermined);
        await InStateAsync(Machine.Undetermined);
        Assert.Empty(await OutboxAsync<FenceHost>());
    }

    [Fact]
    public async Task A_down_verdict_fences_and_only_proof_of_fencing_releases_the_hosts_vms()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        await VerdictAsync(HostVerdict.Down);
        await InStateAsync(Machine.Fencing);
        Assert.Single(await OutboxOfThisInvestigationAsync<FenceHost>(m => m.InvestigationId));

        await _harness.Bus.Publish(new HostFencingFailed { InvestigationId = Investigation, HostId = Suspect, Attempt = 1, Evidence = ["BMC unreachable"], FailedAt = _clock.GetUtcNow() });
        await InStateAsync(Machine.FencingFailed);
        Assert.Empty(await OutboxAsync<ReleaseFencedHost>());

        await FencedAsync(); // a proof that arrives late still counts
        await InStateAsync(Machine.Fenced);
        var release = Assert.Single(await OutboxAsync<ReleaseFencedHost>());
        Assert.Equal(Investigation, release.InvestigationId);

        await _harness.Bus.Publish(new FencedHostReleased
        {
            InvestigationId = Investigation, HostId = Suspect, ReleasedAt = _clock.GetUtcNow(),
            Vms =
            [
                new ReleasedVm { VmId = Guid.NewGuid(), Incarnation = 3, StateBefore = VmState.Running, HaLevel = VmHaLevel.OnHostFailure, RestartPriority = 5 },
                new ReleasedVm { VmId = Guid.NewGuid(), Incarnation = 1, StateBefore = VmState.Running, HaLevel = VmHaLevel.None, RestartPriority = 0 },
            ],
        });
        await FinishedAsync();
        var restart = Assert.Single(await _provider.GetRequiredService<RestartStore>().ListAsync(null, default));
        Assert.Equal((3L, RestartStatus.Pending, (Guid?)Investigation), (restart.Incarnation, restart.Status, restart.IncidentId));
    }

    [Fact]
    public async Task With_most_of_the_cluster_suspect_a_down_host_waits_for_an_operator()
    {
        await ClusterAsync(hosts: 3, otherSuspects: 1);
        await SuspectAsync();
        await VerdictAsync(HostVerdict.Down);
        await InStateAsync(Machine.AwaitingOperator);
        Assert.Empty(await OutboxAsync<FenceHost>());

        await _harness.Bus.Publish(new FencingApproved { InvestigationId = Investigation, ApprovedBy = "test", ApprovedAt = _clock.GetUtcNow() });
        await InStateAsync(Machine.Fencing);
        Assert.Single(await OutboxAsync<FenceHost>());
    }

    [Fact]
    public async Task A_host_answering_again_ends_an_investigation_before_fencing_but_not_during_it()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        await _harness.Bus.Publish(new SuspectRecovered { InvestigationId = Investigation, HostId = Suspect, RecoveredAt = _clock.GetUtcNow() });
        await FinishedAsync();

        _clock.Advance(TimeSpan.FromSeconds(1)); // a new suspicion of the same host
        await SuspectAsync();
        await VerdictAsync(HostVerdict.Down);
        await InStateAsync(Machine.Fencing);
        await _harness.Bus.Publish(new SuspectRecovered { InvestigationId = Investigation, HostId = Suspect, RecoveredAt = _clock.GetUtcNow() });
        await SettleAsync();
        await InStateAsync(Machine.Fencing);
    }

    [Fact]
    public async Task A_later_failure_of_the_same_host_is_a_new_investigation_with_its_own_release()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        var first = Investigation;
        await VerdictAsync(HostVerdict.Down);
        await FencedAsync();
        await InStateAsync(Machine.Fenced);
        await _harness.Bus.Publish(new FencedHostReleased { InvestigationId = first, HostId = Suspect, ReleasedAt = _clock.GetUtcNow(), Vms = [] });
        await FinishedAsync();

        _clock.Advance(TimeSpan.FromMinutes(5)); // powered on, back in service, and failing again
        await SuspectAsync();
        Assert.NotEqual(first, Investigation);
        await VerdictAsync(HostVerdict.Down);
        await FencedAsync();
        await InStateAsync(Machine.Fenced);

        Assert.Equal([first, Investigation], (await OutboxAsync<ReleaseFencedHost>()).Select(r => r.InvestigationId));
    }

    [Fact]
    public async Task A_suspicion_while_the_host_is_under_investigation_joins_that_incident()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        var open = Investigation;

        var again = _clock.GetUtcNow().AddSeconds(3);
        await PublishSuspicionAsync(again);
        await SettleAsync();

        Assert.Null(await SavedStateAsync(NameBasedIds.InvestigationOf(Suspect, again)));
        var incident = (await _provider.GetRequiredService<IncidentStore>().GetAsync(open, default))!;
        Assert.Equal(["Suspected", "Investigating", "Suspected again"], incident.Timeline.Select(s => s.Step));
        Assert.Single(await OutboxAsync<InvestigateHost>());
    }

    [Fact]
    public async Task A_step_commits_its_timeline_command_and_deadline_with_the_saga_and_a_redelivery_adds_none_of_them()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        await PublishSuspicionAsync(_suspectedAt); // the opening suspicion, delivered again
        await SettleAsync();

        Assert.Single(await OutboxAsync<InvestigateHost>());
        Assert.Single(await OutboxAsync<InvestigationDeadlinePassed>());
        var incident = (await _provider.GetRequiredService<IncidentStore>().GetAsync(Investigation, default))!;
        Assert.Equal(["Suspected", "Investigating"], incident.Timeline.Select(s => s.Step));
    }
}
