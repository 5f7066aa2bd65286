using System.Diagnostics;
using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Libvirt;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>
/// The libvirt driver with real QEMU domains (TCG, 64 MiB, no disk, no OS) on a private
/// unprivileged daemon: processes that crash, a daemon that restarts, a guest that ignores ACPI.
/// </summary>
public sealed class LibvirtQemuDriverTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly VmSpec Spec = new(Incarnation: 1, CpuCores: 1, MemoryMib: 64);
    private LibvirtDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await LibvirtDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task A_qemu_process_killed_with_9_is_reported_as_died_and_is_gone_from_the_list()
    {
        using var agent = new LibvirtAgent(_daemon.QemuUri);
        var vmId = Guid.NewGuid().ToString();
        Assert.Equal(StartVmOutcome.Started, (await agent.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None)).Value!.Outcome);
        Assert.Equal(vmId, Assert.Single((await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms).VmId);

        Process.GetProcessById(await _daemon.QemuPidAsync(vmId)).Kill();

        var died = await agent.NextEventAsync(vmId, e => e.Event == DomainLifecycleEvent.Stopped, Timeout);
        Assert.Equal(DomainLifecycleEvent.StoppedFailed, died.Detail);
        Assert.Empty((await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
    }

    [Fact]
    public async Task A_libvirtd_restart_keeps_the_vms_running_and_the_agent_reconnects_with_its_events()
    {
        using var agent = new LibvirtAgent(_daemon.QemuUri);
        var vmId = Guid.NewGuid().ToString();
        await agent.Driver.StartVmAsync("kvm-1", vmId, Spec with { Incarnation = 7 }, CancellationToken.None);

        await _daemon.RestartAsync();

        // The first call after the restart may still find the old connection closing: it fails as
        // unreachable (nothing concluded) and the next one reconnects.
        var report = await Eventually.ReturnsAsync(() => agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None),
            call => call.Status == HostCallStatus.Answered, Timeout, "the agent to reach libvirt again");
        Assert.Equal(new VmReport(vmId, VmPowerState.Running, 7, 1, 64, VmDevices.None), Assert.Single(report.Value!.Vms));
        await agent.NextEventAsync("", e => e == DomainLifecycleEvent.Resync, Timeout);

        Assert.True((await agent.Driver.DestroyVmAsync("kvm-1", vmId, CancellationToken.None)).Value!.WasRunning);
        Assert.Equal("destroyed", (await agent.NextEventAsync(vmId, e => e.Event == DomainLifecycleEvent.Stopped, Timeout)).Describe());
    }

    [Fact]
    public async Task A_guest_that_ignores_the_acpi_shutdown_is_destroyed_after_the_graceful_stop_timeout()
    {
        // This guest has no OS: nothing answers ACPI.
        using var agent = new LibvirtAgent(_daemon.QemuUri, gracefulStopTimeout: TimeSpan.FromSeconds(1));
        var vmId = Guid.NewGuid().ToString();
        await agent.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None);

        var stopped = await agent.Driver.StopVmAsync("kvm-1", vmId, force: false, CancellationToken.None);

        Assert.True(stopped.Value!.WasRunning);
        Assert.Equal("destroyed", (await agent.NextEventAsync(vmId, e => e.Event == DomainLifecycleEvent.Stopped, Timeout)).Describe());
        Assert.Empty((await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
    }

    [Fact]
    public async Task A_vm_started_with_a_disk_and_a_nic_reports_them_and_a_hot_plugged_disk_shows_in_the_next_list()
    {
        using var agent = new LibvirtAgent(_daemon.QemuUri);
        var vmId = Guid.NewGuid().ToString();
        var root = await _daemon.CreateDiskImageAsync("root");
        var spec = Spec with { Disks = [new DiskSpec(root, "qcow2")], Nics = [new NicSpec("52:54:00:ab:cd:ef")] };

        var started = (await agent.Driver.StartVmAsync("kvm-1", vmId, spec, CancellationToken.None)).Value!;

        Assert.Equal(StartVmOutcome.Started, started.Outcome);
        Assert.Equal([new VmDisk("vda", root, "virtio")], started.Devices!.Disks);
        Assert.Equal([new VmNic("52:54:00:ab:cd:ef", null, "virtio")], started.Devices.Nics);

        var data = await _daemon.CreateDiskImageAsync("data");
        await _daemon.HotPlugDiskAsync(vmId, data, "vdb");

        var listed = Assert.Single((await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
        Assert.Equal([new VmDisk("vda", root, "virtio"), new VmDisk("vdb", data, "virtio")], listed.Devices!.Disks);
        Assert.Equal(started.Devices.Nics, listed.Devices.Nics);
        await agent.Driver.DestroyVmAsync("kvm-1", vmId, CancellationToken.None);
    }
}
