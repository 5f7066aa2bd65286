using CloudBus.HostAgent.Hypervisor;
using CloudBus.HostAgent.Watchdog;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>
/// The self-fence backed by a watchdog, with QEMU domains and tools/WatchdogEmulator standing in
/// for /dev/watchdog (it "resets" the host by killing its libvirtd and qemu processes).
/// </summary>
public sealed class LibvirtWatchdogTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SelfFenceAfter = TimeSpan.FromSeconds(2);
    private LibvirtDaemon _daemon = null!;
    private WatchdogEmulatorProcess _emulator = null!;

    public async Task InitializeAsync()
    {
        _daemon = await LibvirtDaemon.StartAsync();
        _emulator = await WatchdogEmulatorProcess.StartAsync(_daemon);
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await _daemon.DisposeAsync();
    }

    [Fact]
    public async Task A_host_whose_agent_dies_is_reset_by_its_watchdog_and_its_heartbeat_said_a_watchdog_backs_it()
    {
        var vmId = Guid.NewGuid().ToString();
        using (var starter = new LibvirtAgent(_daemon.QemuUri))
            await starter.Driver.StartVmAsync("kvm-1", vmId, new VmSpec(1, 1, 64), CancellationToken.None);
        var qemu = await _daemon.QemuPidAsync(vmId);

        // Opening the watchdog arms it; the agent pets it after every heartbeat it writes.
        using (var agent = new LibvirtAgent(_daemon.QemuUri, selfFenceAfter: SelfFenceAfter,
                   watchdog: new EmulatedWatchdog(_emulator.Socket, SelfFenceAfter)))
        {

            // Petted after every write, the watchdog lets the host run past its timeout.
            var until = DateTimeOffset.UtcNow + SelfFenceAfter * 2;
            while (DateTimeOffset.UtcNow < until)
            {
                agent.Heartbeat.Run();
                await Task.Delay(agent.Options.HeartbeatInterval);
            }
            Assert.False(Exited(qemu), _emulator.Output);
            Assert.Equal(true, agent.Storage.TryRead("kvm-1")!.Watchdog);
        }

        // The agent is gone (no more writes, no more pets): the watchdog resets the host.
        await Eventually.HoldsAsync(() => Task.FromResult(Exited(qemu)), Timeout, "the watchdog to reset the host");
        Assert.Contains("resetting the host", _emulator.Output);
    }

    [Fact]
    public async Task An_agent_without_a_watchdog_says_so_in_its_heartbeat()
    {
        using var agent = new LibvirtAgent(_daemon.TestUri, watchdog: WatchdogOpener.Open("", SelfFenceAfter, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        agent.Heartbeat.Run();

        Assert.Equal(false, agent.Storage.TryRead("kvm-1")!.Watchdog);
        Assert.Equal(false, (await agent.Driver.ReadNeighbourHeartbeatAsync("kvm-1", "kvm-1", CancellationToken.None)).Value!.Watchdog);
    }

    /// <summary>Gone, or a zombie: a killed qemu whose parent died too may wait unreaped under a container's init.</summary>
    private static bool Exited(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }
}
