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
using Dapper;
using CloudBus.ServiceDefaults.Scheduling;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.IntegrationTests.Sagas;

/// <summary>
/// Every path of the investigation saga, one message at a time, through MassTransit's test harness
/// on the real broker, with the real steps and a real database (incidents, timers, restarts). The rule under
/// test: no FenceHost without a Down verdict (and the brake released), and no ReleaseFencedHost
/// without proof of fencing.
/// </summary>
public sealed class InvestigationStateMachineTests : IAsyncLifetime
{
    private const string Suspect = "host-1";
    private static readonly Guid Investigation = NameBasedIds.InvestigationOf(Suspect);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private PrivateServers _servers = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<InvestigationStateMachine, InvestigationState> _saga = null!;

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
            .AddSingleton<HostDirectory>().AddSingleton<IncidentStore>().AddSingleton<RestartStore>().AddSingleton<RestartSignal>()
            .AddSingleton<InvestigationSteps>()
            // One message at a time, so that a marker consumed after a message proves the message's sends are out.
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
                            host.Password(broker["RabbitMq__Password"]);
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

    private async Task SuspectAsync()
    {
        await _harness.Bus.Publish(new HostSuspected { HostId = Suspect, LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = ["timeout"], SuspectedAt = _clock.GetUtcNow() });
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
    private async Task<string?> SavedStateAsync()
    {
        await using var connection = await _servers.Database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT current_state FROM ha_orchestrator.investigations WHERE correlation_id = @Investigation", new { Investigation });
    }

    private Task InStateAsync(State state) =>
        Eventually.HoldsAsync(async () => await SavedStateAsync() == state.Name, TimeSpan.FromSeconds(10), $"the investigation to be {state.Name}");

    private Task FinishedAsync() =>
        Eventually.HoldsAsync(async () => await SavedStateAsync() is null, TimeSpan.FromSeconds(10), "the investigation to finish");

    /// <summary>
    /// Waits until the saga has handled everything published so far: it consumes a repeated
    /// suspicion (ignored once past investigating) after them, one message at a time.
    /// </summary>
    private async Task SettleAsync()
    {
        var before = _saga.Consumed.Select<HostSuspected>().Count();
        await _harness.Bus.Publish(new HostSuspected { HostId = Suspect, LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = [], SuspectedAt = _clock.GetUtcNow() });
        await Eventually.HoldsAsync(() => Task.FromResult(_saga.Consumed.Select<HostSuspected>().Count() > before), TimeSpan.FromSeconds(10), "the saga to catch up");
    }

    /// <summary>Whether a <typeparamref name="T"/> was sent, once the saga handled everything published so far.</summary>
    private async Task<bool> SentAsync<T>() where T : class
    {
        await SettleAsync();
        return _harness.Sent.Select<T>().Any();
    }

    [Fact]
    public async Task An_alive_verdict_fences_nothing_and_looks_again_later()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        Assert.True(await _harness.Sent.Any<InvestigateHost>());

        await VerdictAsync(HostVerdict.Alive);
        await InStateAsync(Machine.Disconnected);
        Assert.False(await SentAsync<FenceHost>());
        Assert.True(await _harness.Published.Any<HaAlertRaised>());

        await _harness.Bus.Publish(new InvestigationRetryDue { InvestigationId = Investigation, Attempt = 1 });
        await InStateAsync(Machine.Investigating);
        Assert.Contains(_harness.Sent.Select<InvestigateHost>(), m => m.Context.Message.Attempt == 2);
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
        await InStateAsync(Machine.WaitingToRetry);
        Assert.False(await SentAsync<FenceHost>());
    }

    [Fact]
    public async Task A_down_verdict_fences_and_only_proof_of_fencing_releases_the_hosts_vms()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        await VerdictAsync(HostVerdict.Down);
        await InStateAsync(Machine.Fencing);
        Assert.True(await _harness.Sent.Any<FenceHost>());

        await _harness.Bus.Publish(new HostFencingFailed { InvestigationId = Investigation, HostId = Suspect, Attempt = 1, Evidence = ["BMC unreachable"], FailedAt = _clock.GetUtcNow() });
        await InStateAsync(Machine.WaitingToRetry);
        Assert.False(await SentAsync<ReleaseFencedHost>());

        await FencedAsync(); // a proof that arrives late still counts
        await InStateAsync(Machine.Releasing);
        Assert.True(await _harness.Sent.Any<ReleaseFencedHost>());

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
        Assert.Equal((3L, "Pending"), (restart.Incarnation, restart.Status));
    }

    [Fact]
    public async Task With_most_of_the_cluster_suspect_a_down_host_waits_for_an_operator()
    {
        await ClusterAsync(hosts: 3, otherSuspects: 1);
        await SuspectAsync();
        await VerdictAsync(HostVerdict.Down);
        await InStateAsync(Machine.HeldByBrake);
        Assert.False(await SentAsync<FenceHost>());

        await _harness.Bus.Publish(new FencingApproved { InvestigationId = Investigation, ApprovedBy = "test", ApprovedAt = _clock.GetUtcNow() });
        await InStateAsync(Machine.Fencing);
        Assert.True(await _harness.Sent.Any<FenceHost>());
    }

    [Fact]
    public async Task A_host_answering_again_ends_an_investigation_before_fencing_but_not_during_it()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        await _harness.Bus.Publish(new HostRecovered { HostId = Suspect, RecoveredAt = _clock.GetUtcNow() });
        await FinishedAsync();

        _clock.Advance(TimeSpan.FromSeconds(1)); // a new suspicion of the same host
        await SuspectAsync();
        await VerdictAsync(HostVerdict.Down);
        await InStateAsync(Machine.Fencing);
        await _harness.Bus.Publish(new HostRecovered { HostId = Suspect, RecoveredAt = _clock.GetUtcNow() });
        await SettleAsync();
        await InStateAsync(Machine.Fencing);
    }

    [Fact]
    public async Task The_message_that_started_a_step_delivered_again_sends_the_steps_command_again_for_the_same_round()
    {
        await ClusterAsync(hosts: 4);
        await SuspectAsync();
        await _harness.Bus.Publish(new HostSuspected { HostId = Suspect, LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = [], SuspectedAt = _clock.GetUtcNow() });
        await Eventually.HoldsAsync(() => Task.FromResult(_harness.Sent.Select<InvestigateHost>().Count() == 2), TimeSpan.FromSeconds(10), "the probe sent again");
        Assert.All(_harness.Sent.Select<InvestigateHost>(), m => Assert.Equal(1, m.Context.Message.Attempt));

        await VerdictAsync(HostVerdict.Down);
        await InStateAsync(Machine.Fencing);
        await VerdictAsync(HostVerdict.Down);
        await SettleAsync();
        Assert.Equal(2, _harness.Sent.Select<FenceHost>().Count());

        await FencedAsync();
        await InStateAsync(Machine.Releasing);
        await FencedAsync();
        await SettleAsync();
        Assert.Equal(2, _harness.Sent.Select<ReleaseFencedHost>().Count());
        await InStateAsync(Machine.Releasing);
    }
}
