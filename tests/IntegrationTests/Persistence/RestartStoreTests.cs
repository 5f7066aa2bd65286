using CloudBus.HaOrchestrator;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HaOrchestrator.Restarts;
using CloudBus.Messages.Hosts;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults.Database;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.IntegrationTests.Persistence;

/// <summary>Restart work in Postgres: one per (VM, incarnation), quarantine, claims in priority order, leases.</summary>
public sealed class RestartStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private readonly HaOptions _options = new() { RestartLease = TimeSpan.FromSeconds(60), QuarantineAfterRestarts = 3, QuarantineWindow = TimeSpan.FromMinutes(10) };
    private TestDatabase _database = null!;
    private RestartStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await new MigrationRunner(_database.DataSource, "ha_orchestrator", MigrationScript.LoadEmbedded(typeof(RestartStore).Assembly))
            .MigrateAsync(CancellationToken.None);
        _store = new RestartStore(_database.DataSource, Options.Create(_options), _clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private RestartRequest Request(Guid vm, long incarnation = 1, int priority = 0) =>
        new(vm, incarnation, "host-1", "host host-1 fenced", priority, _clock.GetUtcNow(), IncidentId: null);

    private async Task<IReadOnlyList<(RestartRequest Request, RestartStatus Status)>> RequestAsync(params RestartRequest[] requests)
    {
        await using var work = await UnitOfWork.BeginAsync(_database.DataSource, outbox: null, default);
        var added = await _store.RequestAsync(work, requests);
        await work.CommitAsync(default);
        return added;
    }

    private static RestartStep Done(string host) => new(RestartStatus.Running, null, $"running on {host}", host);

    [Fact]
    public async Task A_repeated_request_for_the_same_run_of_a_vm_adds_nothing()
    {
        var vm = Guid.NewGuid();
        Assert.Single(await RequestAsync(Request(vm)));
        Assert.Empty(await RequestAsync(Request(vm)));
        Assert.Single(await _store.ListAsync(vm, default));
    }

    [Fact]
    public async Task A_vm_restarted_too_often_within_the_window_is_quarantined_and_never_claimed()
    {
        var vm = Guid.NewGuid();
        for (var incarnation = 1; incarnation <= 3; incarnation++)
        {
            var (_, status) = Assert.Single(await RequestAsync(Request(vm, incarnation)));
            Assert.Equal(RestartStatus.Pending, status);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var (_, fourth) = Assert.Single(await RequestAsync(Request(vm, 4)));
        Assert.Equal(RestartStatus.Quarantined, fourth);
        var quarantined = (await _store.ListAsync(vm, default)).Single(r => r.Incarnation == 4);
        Assert.Contains("restarted 3 times within 10 min", quarantined.LastError);
        Assert.DoesNotContain(await _store.ClaimDueAsync("a", 10, default), r => r.Incarnation == 4);

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(RestartStatus.Pending, Assert.Single(await RequestAsync(Request(vm, 5))).Status);
    }

    [Fact]
    public async Task Lower_priorities_wait_while_a_higher_one_is_due_or_being_started()
    {
        var (high, low) = (Guid.NewGuid(), Guid.NewGuid());
        await RequestAsync(Request(low, priority: 5), Request(high, priority: 10));

        var first = Assert.Single(await _store.ClaimDueAsync("a", 10, default));
        Assert.Equal(high, first.VmId);
        Assert.Empty(await _store.ClaimDueAsync("b", 10, default)); // high is in flight at "a"

        Assert.True(await _store.CompleteAsync(first, "a", Done("host-2"), default));
        Assert.Equal(low, Assert.Single(await _store.ClaimDueAsync("b", 10, default)).VmId);
    }

    [Fact]
    public async Task A_retry_waits_for_its_time_and_lets_lower_priorities_go_meanwhile()
    {
        var (high, low) = (Guid.NewGuid(), Guid.NewGuid());
        await RequestAsync(Request(low, priority: 5), Request(high, priority: 10));
        var claimed = Assert.Single(await _store.ClaimDueAsync("a", 10, default));
        await _store.CompleteAsync(claimed, "a", new RestartStep(RestartStatus.Retrying, _clock.GetUtcNow().AddSeconds(10), "NoCapacity"), default);

        Assert.Equal(low, Assert.Single(await _store.ClaimDueAsync("a", 10, default)).VmId);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var again = Assert.Single(await _store.ClaimDueAsync("a", 10, default));
        Assert.Equal((high, 2), (again.VmId, again.Attempts));
    }

    [Fact]
    public async Task A_restart_whose_lease_ran_out_is_taken_over_and_the_late_owner_cannot_record_it()
    {
        var vm = Guid.NewGuid();
        await RequestAsync(Request(vm));
        var byA = Assert.Single(await _store.ClaimDueAsync("a", 10, default));
        Assert.Empty(await _store.ClaimDueAsync("b", 10, default));

        _clock.Advance(_options.RestartLease + TimeSpan.FromSeconds(1));
        var byB = Assert.Single(await _store.ClaimDueAsync("b", 10, default));
        Assert.Equal(2, byB.Attempts);

        Assert.False(await _store.CompleteAsync(byA, "a", Done("host-2"), default));
        Assert.True(await _store.CompleteAsync(byB, "b", Done("host-3"), default));
        var view = Assert.Single(await _store.ListAsync(vm, default));
        Assert.Equal(("Running", "host-3", (string?)null), (view.Status, view.RestartedOn, view.ClaimedBy));
    }

    [Fact]
    public async Task An_instance_stopping_cleanly_hands_its_restarts_back_at_once()
    {
        var vm = Guid.NewGuid();
        await RequestAsync(Request(vm));
        Assert.Single(await _store.ClaimDueAsync("a", 10, default));

        Assert.Equal(1, await _store.ReleaseClaimsAsync("a", default));
        var byB = Assert.Single(await _store.ClaimDueAsync("b", 10, default));
        Assert.Equal((vm, 2), (byB.VmId, byB.Attempts));
        Assert.Equal(0, await _store.ReleaseClaimsAsync("a", default));
    }

    [Fact]
    public async Task Restarts_of_one_incident_ending_at_the_same_time_still_settle_it()
    {
        var incidents = new IncidentStore(_database.DataSource);
        for (var round = 0; round < 5; round++)
        {
            var suspicion = new HostSuspected { HostId = $"host-{round}", LastGoodPingAt = null, ConsecutiveMisses = 3, Errors = [], SuspectedAt = _clock.GetUtcNow() };
            var incidentId = NameBasedIds.InvestigationOf(suspicion.HostId, suspicion.SuspectedAt);
            await using (var work = await UnitOfWork.BeginAsync(_database.DataSource, outbox: null, default))
            {
                Assert.True(await incidents.OpenAsync(work, incidentId, suspicion, "c", null, _clock.GetUtcNow()));
                await work.CommitAsync(default);
            }
            var vms = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
            await RequestAsync([.. vms.Select(vm => Request(vm) with { IncidentId = incidentId })]);
            Assert.Equal("Restarting", (await incidents.GetAsync(incidentId, default))!.Status);

            var claimed = await _store.ClaimDueAsync("a", 10, default);
            await Task.WhenAll(claimed.Select(c => _store.CompleteAsync(c, "a", Done("host-9"), default)));

            Assert.Equal("Restarted", (await incidents.GetAsync(incidentId, default))!.Status);
        }
    }
}
