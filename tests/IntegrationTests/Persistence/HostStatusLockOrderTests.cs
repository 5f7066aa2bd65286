using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Operations;
using CloudBus.VmLifecycle.Persistence;
using CloudBus.VmLifecycle.Placement;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudBus.IntegrationTests.Persistence;

/// <summary>
/// A host's status arriving while a VM on it is being stopped. Seen in CI: the status copy locked
/// the host and waited for the VM, the stop held the VM and waited for the host to give its
/// capacity back, and PostgreSQL aborted the stop with "deadlock detected" (the API answered 500).
/// </summary>
public sealed class HostStatusLockOrderTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private TestDatabase _database = null!;
    private UnitsOfWork _units = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await new MigrationRunner(_database.DataSource, "vm_lifecycle", MigrationScript.LoadEmbedded(typeof(VmStore).Assembly))
            .MigrateAsync(CancellationToken.None);
        _units = new UnitsOfWork(_database.DataSource, new ScheduledMessages(_database.DataSource, "vm_lifecycle", TimeProvider.System));
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task A_host_turning_suspect_while_a_vm_on_it_stops_neither_deadlocks_nor_doubts_the_stopped_vm()
    {
        var vm = await RunningVmOnAsync("host-1");
        var copy = new HostStatusCopy(_units, new VmTransitions(_units, new HostReservations(new HostStore(_database.DataSource)), TimeProvider.System),
            NullLogger<HostStatusCopy>.Instance);

        // The stop holds the VM's row, as VmTransitions does from an operation's start to its end.
        await using var stop = await _units.BeginAsync(CancellationToken.None);
        var locked = (await VmStore.LockAsync(stop, vm.VmId))!;
        var suspect = copy.ApplyAsync(new HostStatusChanged
        {
            HostId = "host-1", From = HostStatus.Connected, To = HostStatus.Suspect, Reason = "missed pings", ChangedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        await Eventually.HoldsAsync(WaitsOnALockAsync, Timeout, "the status copy to wait for the VM's row");

        // The stop gives the host its capacity back and ends: this is the write that deadlocked.
        await HostStore.ReleaseAsync(stop, "host-1", locked);
        await VmStore.UpdateAsync(stop, locked with { State = VmState.Stopped, HostId = null, StateReason = "stopped" });
        await stop.CommitAsync(CancellationToken.None);
        await suspect;

        var host = (await new HostStore(_database.DataSource).GetAsync("host-1", CancellationToken.None))!;
        Assert.Equal((HostStatus.Suspect, 0, 0), (host.Status, host.CpuUsed, host.MemoryUsed));
        Assert.Equal(VmState.Stopped, (await new VmStore(_database.DataSource).GetAsync(vm.VmId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_host_turning_suspect_doubts_the_vms_it_runs_unless_a_later_status_came_first()
    {
        var vm = await RunningVmOnAsync("host-1");
        var copy = new HostStatusCopy(_units, new VmTransitions(_units, new HostReservations(new HostStore(_database.DataSource)), TimeProvider.System),
            NullLogger<HostStatusCopy>.Instance);
        var suspectAt = DateTimeOffset.UtcNow;

        await copy.ApplyAsync(new HostStatusChanged
        {
            HostId = "host-1", From = HostStatus.Connected, To = HostStatus.Suspect, Reason = "missed pings", ChangedAt = suspectAt,
        }, CancellationToken.None);
        Assert.Equal(VmState.Unknown, (await new VmStore(_database.DataSource).GetAsync(vm.VmId, CancellationToken.None))!.State);

        // The same copy delivered again after a newer one (Connected) was taken changes nothing.
        var other = await RunningVmOnAsync("host-2");
        await copy.ApplyAsync(new HostStatusChanged
        {
            HostId = "host-2", From = HostStatus.Suspect, To = HostStatus.Connected, Reason = "answers", ChangedAt = suspectAt.AddSeconds(5),
        }, CancellationToken.None);
        await copy.ApplyAsync(new HostStatusChanged
        {
            HostId = "host-2", From = HostStatus.Connected, To = HostStatus.Suspect, Reason = "late copy", ChangedAt = suspectAt,
        }, CancellationToken.None);
        Assert.Equal(VmState.Running, (await new VmStore(_database.DataSource).GetAsync(other.VmId, CancellationToken.None))!.State);
    }

    private async Task<bool> WaitsOnALockAsync()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')");
    }

    private async Task<VmRecord> RunningVmOnAsync(string hostId)
    {
        await using var work = await _units.BeginAsync(CancellationToken.None);
        await HostStore.TryAddAsync(work, new HostRecord
        {
            HostId = hostId, AgentAddress = new Uri("http://agent/"), Cluster = "c", CpuCores = 16, MemoryMib = 65536,
            Status = HostStatus.Connected, RegisteredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        });
        var vm = new VmRecord
        {
            VmId = Guid.NewGuid(), Name = "vm", CpuCores = 2, MemoryMib = 2048, HaLevel = VmHaLevel.OnHostFailure, State = VmState.Created,
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };
        await VmStore.InsertAsync(work, vm);
        Assert.True(await HostStore.TryReserveAsync(work, hostId, vm));
        var running = vm with { State = VmState.Running, HostId = hostId, Incarnation = 1 };
        await VmStore.UpdateAsync(work, running);
        await work.CommitAsync(CancellationToken.None);
        return running with { Version = running.Version + 1 };
    }
}
