using CloudBus.HaOrchestrator.Hosts;
using CloudBus.HaOrchestrator.Incidents;
using CloudBus.HostMonitor.Persistence;
using CloudBus.IntegrationTests.Infrastructure;
using CloudBus.ServiceDefaults.Database;
using CloudBus.ServiceDefaults.Scheduling;
using CloudBus.VmLifecycle.Domain;
using CloudBus.VmLifecycle.Persistence;

namespace CloudBus.IntegrationTests.Persistence;

/// <summary>
/// A host's alternate agent and BMC addresses, as each service stores them and reads them back
/// (after a restart, or on the instance that takes the host over), in the order they are tried.
/// </summary>
public sealed class HostAddressesStorageTests : IAsyncLifetime
{
    private static readonly Uri First = new("http://10.0.0.5:7070/");
    private static readonly Uri Second = new("http://10.1.0.5:7070/");
    private TestDatabase _database = null!;

    private static readonly HostRecord Host = new()
    {
        HostId = "kvm-1", AgentAddress = First, AlternateAgentAddresses = [Second], Cluster = "cluster-a", CpuCores = 16, MemoryMib = 32768,
        Status = CloudBus.Messages.Hosts.HostStatus.Connecting, RegisteredAt = DateTimeOffset.UtcNow,
        BmcAddress = "10.0.1.5:623", AlternateBmcAddresses = ["10.1.1.5:623"],
    };

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await new MigrationRunner(_database.DataSource, "vm_lifecycle", MigrationScript.LoadEmbedded(typeof(VmStore).Assembly)).MigrateAsync(CancellationToken.None);
        await new MigrationRunner(_database.DataSource, "host_monitor", MigrationScript.LoadEmbedded(typeof(HostStatusStore).Assembly)).MigrateAsync(CancellationToken.None);
        await new MigrationRunner(_database.DataSource, "ha_orchestrator", MigrationScript.LoadEmbedded(typeof(IncidentStore).Assembly)).MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task VmLifecycle_keeps_every_address_in_order()
    {
        var units = new UnitsOfWork(_database.DataSource, new ScheduledMessages(_database.DataSource, "vm_lifecycle", TimeProvider.System));
        await using (var work = await units.BeginAsync(CancellationToken.None))
        {
            Assert.True(await HostStore.TryAddAsync(work, Host));
            await work.CommitAsync(CancellationToken.None);
        }

        var stored = (await new HostStore(_database.DataSource).GetAsync("kvm-1", CancellationToken.None))!;

        Assert.Equal([First, Second], stored.AgentAddresses);
        Assert.Equal(["10.1.1.5:623"], stored.AlternateBmcAddresses);
        Assert.Equal([Second], stored.ToRegistration().AlternateAgentAddresses);
    }

    [Fact]
    public async Task HostMonitor_reads_back_every_agent_address_in_order()
    {
        var store = new HostStatusStore(_database.DataSource);
        await store.AddAsync(Host.ToRegistration(), CancellationToken.None);

        Assert.Equal([First, Second], Assert.Single(await store.ListAsync(CancellationToken.None)).AgentAddresses);
    }

    [Fact]
    public async Task HaOrchestrator_knows_every_agent_and_bmc_address_in_order()
    {
        var directory = new HostDirectory(_database.DataSource);
        await directory.AddAsync(Host.ToRegistration(), CancellationToken.None);

        var known = (await directory.FindAsync("kvm-1", CancellationToken.None))!;

        Assert.Equal([First, Second], known.AgentAddresses);
        Assert.Equal(["10.0.1.5:623", "10.1.1.5:623"], known.BmcAddresses);
        Assert.Equal(known.BmcAddresses, Assert.Single(await directory.InClusterAsync("cluster-a", CancellationToken.None)).BmcAddresses);
    }
}
