using CloudBus.HostAgent.Hypervisor;
using CloudBus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>
/// The storage heartbeat of libvirt hosts sharing one folder, on libvirt's test driver: neighbours
/// read it, and a host that cannot write it destroys its VMs after its self-fence time.
/// </summary>
public sealed class LibvirtHeartbeatTests : IAsyncLifetime
{
    private static readonly VmSpec Spec = new(Incarnation: 1, CpuCores: 1, MemoryMib: 64);
    private readonly string _shared = Directory.CreateTempSubdirectory("cb-shared-").FullName;
    private LibvirtDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await LibvirtDaemon.StartAsync();

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        if (Directory.Exists(_shared)) Directory.Delete(_shared, recursive: true);
        if (File.Exists(_shared)) File.Delete(_shared);
    }

    [Fact]
    public async Task An_agent_restarted_while_storage_fails_fences_by_the_hosts_last_heartbeat_not_by_its_own_start()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var vmId = Guid.NewGuid().ToString();
        using var keeper = new LibvirtAgent(_daemon.TestUri, "kvm-1", heartbeatDirectory: _shared, clock: clock);
        keeper.Heartbeat.Run();
        await keeper.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None);

        // The agent dies right after that write and comes back 5 s later; storage now refuses writes.
        clock.Advance(TimeSpan.FromSeconds(5));
        using var restarted = new LibvirtAgent(_daemon.TestUri, "kvm-1", heartbeatDirectory: _shared, selfFenceAfter: TimeSpan.FromSeconds(8), clock: clock);
        Directory.Delete(_shared, recursive: true);
        await File.WriteAllTextAsync(_shared, "not a folder");
        restarted.Heartbeat.Run();
        Assert.Single((await restarted.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);

        // 8 s after the last heartbeat on storage (3 s after the restart), not 8 s after the restart.
        clock.Advance(TimeSpan.FromSeconds(3));
        restarted.Heartbeat.SelfFenceIfStale();
        Assert.Empty((await restarted.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
    }

    [Fact]
    public async Task A_neighbour_reads_the_heartbeat_and_its_sequence_carries_on_across_an_agent_restart()
    {
        using var neighbour = new LibvirtAgent(_daemon.TestUri, "kvm-2", heartbeatDirectory: _shared);
        using (var before = new LibvirtAgent(_daemon.TestUri, "kvm-1", heartbeatDirectory: _shared, selfFenceAfter: TimeSpan.FromSeconds(6)))
        {
            Assert.Null((await neighbour.Driver.ReadNeighbourHeartbeatAsync("kvm-2", "kvm-1", CancellationToken.None)).Value);
            before.Heartbeat.Run();
            before.Heartbeat.Run();
        }
        using var after = new LibvirtAgent(_daemon.TestUri, "kvm-1", heartbeatDirectory: _shared, selfFenceAfter: TimeSpan.FromSeconds(6));
        after.Heartbeat.Run();

        var read = await neighbour.Driver.ReadNeighbourHeartbeatAsync("kvm-2", "kvm-1", CancellationToken.None);
        Assert.Equal(HostCallStatus.Answered, read.Status);
        Assert.Equal(("kvm-1", 3L, TimeSpan.FromSeconds(6)), (read.Value!.HostId, read.Value.Sequence, read.Value.SelfFenceAfter));
    }

    [Fact]
    public async Task A_host_that_cannot_write_its_heartbeat_for_its_self_fence_time_destroys_its_vms_and_only_then()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new LibvirtAgent(_daemon.TestUri, "kvm-1", heartbeatDirectory: _shared, selfFenceAfter: TimeSpan.FromSeconds(8), clock: clock);
        var vmId = Guid.NewGuid().ToString();
        await host.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None);

        // Writing: a minute passes and the VM runs on.
        for (var second = 0; second < 60; second++)
        {
            host.Heartbeat.Run();
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Single((await host.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);

        // The shared folder is gone (a file stands in its place): every write fails from now on.
        Directory.Delete(_shared, recursive: true);
        await File.WriteAllTextAsync(_shared, "not a folder");
        for (var second = 0; second < 7; second++)
        {
            host.Heartbeat.Run();
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Single((await host.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
        clock.Advance(TimeSpan.FromSeconds(1));
        host.Heartbeat.SelfFenceIfStale();

        Assert.Empty((await host.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
        // Only CloudBus's VMs: the test driver's own domain "test" still runs.
        Assert.Contains(host.Connection.ListActiveDomains(), d => d.Name == "test");
    }
}
