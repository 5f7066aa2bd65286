using CloudBus.Bench;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system on real libvirt hosts: per host an unprivileged libvirtd running QEMU domains
/// (TCG), a watchdog emulator, and its own HostAgent with the Libvirt driver, all hosts sharing one
/// heartbeat folder. No BMCs: a dead host is fenced by its watchdog-backed self-fence, except
/// <see cref="UnwatchedHost"/>, whose agent has no watchdog. HA's times
/// are HaStack's but for the heartbeat: QEMU domains load this machine, and a heartbeat write (with
/// its fsync) stalled past a 2 s self-fence time resets a healthy host, so hosts self-fence after
/// 4 s and a heartbeat is stale after 6 s. A VM missing from a host's listing is reported stopped
/// only after a minute, so whatever is seen sooner came from the host's lifecycle events.
/// <see cref="Audit"/> watches libvirt itself for any VM running twice. As on real hosts, the
/// control plane and the agents speak mutual TLS only, with certificates of a CA of the stack's own.
/// </summary>
public sealed class LibvirtHaStack() : HaStack(fleetSize: 5)
{
    /// <summary>The host whose agent has no watchdog: its heartbeat says its self-fence is not backed.</summary>
    public const string UnwatchedHost = "host-5";

    private static readonly TimeSpan SelfFenceAfter = TimeSpan.FromSeconds(4);
    private readonly Dictionary<string, LibvirtHost> _hosts = [];
    private LocalCertificates Certificates { get; } = new();

    public LibvirtFleetAudit Audit { get; private set; } = null!;

    public LibvirtHost Host(string hostId) => _hosts[hostId];

    protected override bool WithBmcs => false;

    protected override IEnumerable<(string Key, string Value)> MoreSettings =>
        [("Ha__SelfFenceAfter", SelfFenceAfter.ToString()), ("Ha__HeartbeatStaleAfter", "00:00:06"),
         // A VM merely missing from a listing waits a minute: a crash seen sooner came from the host's event.
         ("HostMonitor__MissingGracePeriod", "00:01:00"),
         // Every service calls agents with one control-plane certificate (the stacks share one environment).
         .. Certificates.ServiceSettings("control-plane").Select(setting => (setting.Key, setting.Value))];

    protected override IEnumerable<string> TagsOf(string hostId) => [];

    protected override async Task StartFleetAsync(string heartbeatDirectory)
    {
        foreach (var hostId in FleetHostIds)
        {
            var daemon = await LibvirtDaemon.StartAsync();
            var watchdog = hostId == UnwatchedHost ? null : await WatchdogEmulatorProcess.StartAsync(daemon);
            var settings = new Dictionary<string, string>(Certificates.AgentSettings(hostId))
            {
                ["HostAgent__Driver"] = "Libvirt", ["HostAgent__HostId"] = hostId, ["HostAgent__LibvirtUri"] = daemon.QemuUri,
                ["HostAgent__HeartbeatDirectory"] = heartbeatDirectory, ["HostAgent__HeartbeatInterval"] = "00:00:00.500",
                ["HostAgent__SelfFenceAfter"] = SelfFenceAfter.ToString(), ["HostAgent__GracefulStopTimeout"] = "00:00:01",
            };
            if (watchdog is not null) settings["HostAgent__WatchdogDevice"] = watchdog.Device;
            var agent = Start("HostAgent", settings, $"HostAgent#{hostId}", https: true);
            // A power loss or a watchdog reset kills the agent too.
            await File.WriteAllTextAsync(Path.Combine(daemon.Directory, "agent.pid"), agent.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _hosts[hostId] = new LibvirtHost(hostId, daemon, watchdog, agent);
        }
        Audit = new LibvirtFleetAudit(_hosts.ToDictionary(h => h.Key, h => h.Value.Daemon.QemuUri));
    }

    protected override Uri AgentAddressOf(string hostId) => _hosts[hostId].Agent.BaseAddress;

    public override async Task DisposeAsync()
    {
        if (Audit is not null) await Audit.DisposeAsync();
        // Watchdogs first: stopping the agents must not make them "reset" the hosts.
        foreach (var host in _hosts.Values)
            if (host.Watchdog is not null) await host.Watchdog.DisposeAsync();
        await base.DisposeAsync();
        foreach (var host in _hosts.Values) await host.Daemon.DisposeAsync();
        Certificates.Dispose();
    }
}

/// <summary>One libvirt "host" of <see cref="LibvirtHaStack"/>.</summary>
public sealed record LibvirtHost(string HostId, LibvirtDaemon Daemon, WatchdogEmulatorProcess? Watchdog, ServiceProcess Agent)
{
    /// <summary>The host loses power: its agent, libvirtd and every qemu killed at once.</summary>
    public Task PowerOffAsync() => ShellScripts.RunAsync("libvirt.sh", "cloudbus_host_power_off", [Daemon.Directory], TimeSpan.FromMinutes(1));
}
