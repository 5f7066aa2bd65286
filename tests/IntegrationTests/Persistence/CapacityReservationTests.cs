using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.IntegrationTests.Persistence;

public sealed class CapacityReservationTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private HostStore _hosts = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await new MigrationRunner(_database.DataSource, "vm_lifecycle", MigrationScript.LoadEmbedded(typeof(VmStore).Assembly))
            .MigrateAsync(CancellationToken.None);
        _hosts = new HostStore(_database.DataSource);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Concurrent_reservations_never_overcommit_a_host()
    {
        await AddHostAsync("small", HostStatus.Connected);

        // 20 starts of 3 CPUs race for 16 CPUs: exactly 5 fit.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            await using var work = await UnitOfWork.BeginAsync(_database.DataSource, outbox: null, CancellationToken.None);
            var reserved = await HostStore.TryReserveAsync(work, "small", Vm(cpu: 3, memoryMib: 1024));
            await work.CommitAsync(CancellationToken.None);
            return reserved;
        }));

        Assert.Equal(5, outcomes.Count(reserved => reserved));
        var host = await _hosts.GetAsync("small", CancellationToken.None);
        Assert.Equal((15, 5 * 1024), (host!.CpuUsed, host.MemoryUsed));
    }

    [Fact]
    public async Task A_host_that_is_not_connected_takes_no_reservation()
    {
        await AddHostAsync("connecting", HostStatus.Connecting);

        await using var work = await UnitOfWork.BeginAsync(_database.DataSource, outbox: null, CancellationToken.None);
        Assert.False(await HostStore.TryReserveAsync(work, "connecting", Vm(cpu: 1, memoryMib: 1)));
    }

    private async Task<bool> AddHostAsync(string hostId, HostStatus status)
    {
        await using var work = await UnitOfWork.BeginAsync(_database.DataSource, outbox: null, CancellationToken.None);
        var added = await HostStore.TryAddAsync(work, new HostRecord
        {
            HostId = hostId, AgentAddress = new Uri("http://agent/"), Cluster = "c", CpuCores = 16, MemoryMib = 65536,
            Status = status, RegisteredAt = DateTimeOffset.UtcNow,
        });
        await work.CommitAsync(CancellationToken.None);
        return added;
    }

    [Fact]
    public async Task A_host_in_maintenance_takes_no_reservation()
    {
        await AddHostAsync("resting", HostStatus.Connected);
        await using (var work = await UnitOfWork.BeginAsync(_database.DataSource, outbox: null, CancellationToken.None))
        {
            Assert.True(await HostStore.SetMaintenanceAsync(work, "resting", true, "disk swap"));
            Assert.False(await HostStore.SetMaintenanceAsync(work, "resting", true, "again"));
            await work.CommitAsync(CancellationToken.None);
        }

        await using var attempt = await UnitOfWork.BeginAsync(_database.DataSource, outbox: null, CancellationToken.None);
        Assert.False(await HostStore.TryReserveAsync(attempt, "resting", Vm(cpu: 1, memoryMib: 1)));
        Assert.Equal((true, "disk swap"), ((await _hosts.GetAsync("resting", CancellationToken.None))!.InMaintenance,
            (await _hosts.GetAsync("resting", CancellationToken.None))!.MaintenanceReason));
    }

    private static VmRecord Vm(int cpu, int memoryMib) => new()
    {
        VmId = Guid.NewGuid(), Name = "vm", CpuCores = cpu, MemoryMib = memoryMib, HaLevel = CloudBus.Messages.Vms.VmHaLevel.None,
        State = CloudBus.Messages.Vms.VmState.Created,
    };
}
