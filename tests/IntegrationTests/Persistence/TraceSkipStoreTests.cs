using CloudBus.HostMonitor.Persistence;
using CloudBus.HostMonitor.Tracing;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;

namespace CloudBus.IntegrationTests.Persistence;

/// <summary>Skip, continue and orphan entries as stored in Postgres (so they move with host ownership).</summary>
public sealed class TraceSkipStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private TraceSkipStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await new MigrationRunner(_database.DataSource, "host_monitor", MigrationScript.LoadEmbedded(typeof(TraceSkipStore).Assembly))
            .MigrateAsync(CancellationToken.None);
        _store = new TraceSkipStore(_database.DataSource);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private static VmTraceSkipped Skipped(Guid vm, Guid operation, string by = "vm-lifecycle-a") =>
        new() { VmId = vm, OperatingInstance = by, OperationId = operation, Operation = VmOperationKind.Start, SkippedAt = T0 };

    private static VmTraceContinued Continued(Guid vm, Guid operation) =>
        new() { VmId = vm, OperatingInstance = "vm-lifecycle-a", OperationId = operation, ContinuedAt = T0 };

    [Fact]
    public async Task Continue_ends_the_skip_of_its_own_operation_only()
    {
        var (vm, first, second) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await _store.SkipAsync(Skipped(vm, first), default);
        await _store.SkipAsync(Skipped(vm, second), default);

        await _store.ContinueAsync(Continued(vm, first), default); // late continue of an older operation
        Assert.Equal(second, Assert.Single(await _store.ListAsync(default)).OperationId);

        await _store.ContinueAsync(Continued(vm, second), default);
        Assert.Empty(await _store.ListAsync(default));
    }

    [Fact]
    public async Task Another_operations_skip_and_continue_leave_the_skip_of_the_one_in_flight()
    {
        var (vm, inFlight, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await _store.SkipAsync(Skipped(vm, inFlight), default);

        await _store.SkipAsync(Skipped(vm, other), default); // say, a destroy refused a moment later
        await _store.ContinueAsync(Continued(vm, other), default);

        Assert.Equal(inFlight, Assert.Single(await _store.ListAsync(default)).OperationId);
    }

    [Fact]
    public async Task A_continue_that_arrives_before_its_skip_leaves_the_operation_ended()
    {
        var (vm, operation) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.ContinueAsync(Continued(vm, operation), default);
        await _store.SkipAsync(Skipped(vm, operation), default);
        await _store.SkipAsync(Skipped(vm, operation), default); // and again, redelivered

        Assert.Empty(await _store.ListAsync(default));
    }

    [Fact]
    public async Task Tombstones_of_ended_operations_are_purged_once_no_skip_can_still_be_on_its_way()
    {
        var (vm, operation) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.ContinueAsync(Continued(vm, operation), default);
        await _store.PurgeAsync([], T0 + TraceSkipStore.TombstoneKeptFor + TimeSpan.FromSeconds(1), default);

        // Purged: a skip arriving this late is taken as a new one (and orphaned if its instance is gone).
        await _store.SkipAsync(Skipped(vm, operation), default);
        Assert.Single(await _store.ListAsync(default));
    }

    [Fact]
    public async Task Continue_of_an_orphaned_vm_clears_the_orphan_too()
    {
        var (vm, operation) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.SkipAsync(Skipped(vm, operation), default);
        await _store.OrphanAsync(TraceSkipRules.OrphanDeparted(await _store.ListAsync(default), new HashSet<string>(), T0, TimeSpan.FromMinutes(10)), default);
        Assert.True(Assert.Single(await _store.ListAsync(default)).IsOrphaned);

        await _store.ContinueAsync(Continued(vm, operation), default);

        Assert.Empty(await _store.ListAsync(default));
    }

    [Fact]
    public async Task Expired_orphans_are_purged_and_live_skips_kept()
    {
        var (orphanVm, liveVm) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.SkipAsync(Skipped(orphanVm, Guid.NewGuid(), by: "vm-lifecycle-gone"), default);
        await _store.SkipAsync(Skipped(liveVm, Guid.NewGuid(), by: "vm-lifecycle-alive"), default);
        await _store.OrphanAsync(TraceSkipRules.OrphanDeparted(await _store.ListAsync(default), new HashSet<string> { "vm-lifecycle-alive" }, T0, TimeSpan.FromMinutes(10)), default);

        var later = T0 + TimeSpan.FromMinutes(10);
        await _store.PurgeAsync(TraceSkipRules.Expired(await _store.ListAsync(default), later), later, default);

        var left = Assert.Single(await _store.ListAsync(default));
        Assert.Equal(liveVm, left.VmId);
        Assert.False(left.IsOrphaned);
    }
}
