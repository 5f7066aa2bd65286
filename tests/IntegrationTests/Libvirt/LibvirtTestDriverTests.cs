using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Libvirt;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>
/// The libvirt driver against libvirt's test driver, served by a private daemon: fast, real
/// libvirt calls, events and metadata, no qemu processes.
/// </summary>
public sealed class LibvirtTestDriverTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly VmSpec Spec = new(Incarnation: 3, CpuCores: 2, MemoryMib: 128);
    private LibvirtDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await LibvirtDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task A_vm_is_started_listed_with_its_run_and_destroyed()
    {
        using var agent = new LibvirtAgent(_daemon.TestUri);
        var vmId = Guid.NewGuid().ToString();

        var started = await agent.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None);
        Assert.Equal((HostCallStatus.Answered, StartVmOutcome.Started, 3L), (started.Status, started.Value!.Outcome, started.Value.Incarnation));
        var report = (await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!;
        Assert.Equal(new VmReport(vmId, VmPowerState.Running, 3, 2, 128, VmDevices.None), Assert.Single(report.Vms));

        // A retried start is not an error; a start of another run is refused and names the one running.
        Assert.Equal(StartVmOutcome.AlreadyRunning, (await agent.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None)).Value!.Outcome);
        var conflict = (await agent.Driver.StartVmAsync("kvm-1", vmId, Spec with { Incarnation = 4 }, CancellationToken.None)).Value!;
        Assert.Equal((StartVmOutcome.IncarnationConflict, 3L), (conflict.Outcome, conflict.Incarnation));

        Assert.True((await agent.Driver.DestroyVmAsync("kvm-1", vmId, CancellationToken.None)).Value!.WasRunning);
        Assert.Empty((await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
        Assert.False((await agent.Driver.DestroyVmAsync("kvm-1", vmId, CancellationToken.None)).Value!.WasRunning);
    }

    [Fact]
    public async Task A_graceful_stop_ends_when_the_guest_powers_off()
    {
        using var agent = new LibvirtAgent(_daemon.TestUri);
        var vmId = Guid.NewGuid().ToString();
        await agent.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None);

        var stopped = await agent.Driver.StopVmAsync("kvm-1", vmId, force: false, CancellationToken.None);

        Assert.True(stopped.Value!.WasRunning);
        Assert.Equal("shut down", (await agent.NextEventAsync(vmId, e => e.Event == DomainLifecycleEvent.Stopped, Timeout)).Describe());
        Assert.Empty((await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!.Vms);
    }

    [Fact]
    public async Task An_agent_restarted_while_its_vms_run_still_reports_which_run_each_is()
    {
        var vmId = Guid.NewGuid().ToString();
        // The test driver keeps its domains while one connection stays open: this one plays the daemon's memory.
        using var keeper = new LibvirtAgent(_daemon.TestUri);
        using (var before = new LibvirtAgent(_daemon.TestUri))
            Assert.Equal(StartVmOutcome.Started, (await before.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None)).Value!.Outcome);

        using var after = new LibvirtAgent(_daemon.TestUri);
        var report = (await after.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Value!;

        Assert.Equal(new VmReport(vmId, VmPowerState.Running, 3, 2, 128, VmDevices.None), Assert.Single(report.Vms));
    }

    [Fact]
    public async Task Lifecycle_events_arrive_for_a_start_and_a_destroy()
    {
        using var agent = new LibvirtAgent(_daemon.TestUri);
        var vmId = Guid.NewGuid().ToString();
        agent.Connection.EnsureOpen();

        await agent.Driver.StartVmAsync("kvm-1", vmId, Spec, CancellationToken.None);
        Assert.Equal("started", (await agent.NextEventAsync(vmId, e => e.Event == DomainLifecycleEvent.Started, Timeout)).Describe());
        await agent.Driver.DestroyVmAsync("kvm-1", vmId, CancellationToken.None);
        Assert.Equal("destroyed", (await agent.NextEventAsync(vmId, e => e.Event == DomainLifecycleEvent.Stopped, Timeout)).Describe());
    }

    [Fact]
    public async Task Domains_that_cloudbus_did_not_start_are_not_reported_and_other_hosts_are_unknown()
    {
        using var agent = new LibvirtAgent(_daemon.TestUri);

        // The test driver always runs a domain named "test", without CloudBus metadata.
        var report = await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None);
        Assert.Equal(HostCallStatus.Answered, report.Status);
        Assert.Empty(report.Value!.Vms);
        Assert.Equal(HostCallStatus.UnknownHost, (await agent.Driver.ListVmsAsync("kvm-2", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_neighbour_is_reached_when_its_agents_port_accepts_a_connection()
    {
        using var agent = new LibvirtAgent(_daemon.TestUri);
        using var listening = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listening.Start();
        var open = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)listening.LocalEndpoint).Port}/");
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        Assert.True((await agent.Driver.PingNeighbourAsync("kvm-1", "kvm-2", [open], CancellationToken.None)).Value);
        Assert.False((await agent.Driver.PingNeighbourAsync("kvm-1", "kvm-2", [closed], CancellationToken.None)).Value);
        // One network down, the other up: the neighbour is reached.
        Assert.True((await agent.Driver.PingNeighbourAsync("kvm-1", "kvm-2", [closed, open], CancellationToken.None)).Value);
        // Without the neighbour's address there is nothing to try: unknown, not "unreachable".
        Assert.Equal(HostCallStatus.UnknownHost, (await agent.Driver.PingNeighbourAsync("kvm-1", "kvm-2", [], CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_daemon_that_cannot_be_reached_makes_the_host_unreachable_not_empty()
    {
        using var agent = new LibvirtAgent($"test+unix:///default?socket={_daemon.Directory}/no-such-socket");

        Assert.Equal(HostCallStatus.Unreachable, (await agent.Driver.ListVmsAsync("kvm-1", CancellationToken.None)).Status);
        Assert.Equal(HostCallStatus.Unreachable, (await agent.Driver.PingAsync("kvm-1", CancellationToken.None)).Status);
    }
}
