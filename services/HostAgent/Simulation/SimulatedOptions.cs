namespace CloudBus.HostAgent.Simulation;

/// <summary>
/// Settings of the simulated driver, section <c>Simulated</c> (environment: <c>Simulated__Hosts=h1,h2</c>).
/// </summary>
public sealed class SimulatedOptions
{
    public const string Section = "Simulated";

    /// <value>Comma-separated ids of the hosts created at start. Default: none (add them with POST /fleet/hosts).</value>
    public string Hosts { get; set; } = "";

    /// <value>Cluster of the hosts created at start, and of hosts added without one. Default "cluster-a".</value>
    public string Cluster { get; set; } = "cluster-a";

    /// <value>CPU cores of each host created at start. Default 16.</value>
    public int CpuCores { get; set; } = 16;

    /// <value>Memory of each host created at start, in MiB. Default 32768.</value>
    public int MemoryMib { get; set; } = 32768;

    /// <value>The shared-storage folder where heartbeats are written. Default: cloudbus-heartbeats under the temp folder.</value>
    public string HeartbeatDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "cloudbus-heartbeats");

    /// <value>How often every powered-on host writes its storage heartbeat. Default 2 s.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <value>
    /// A host that has failed to write its heartbeat for this long kills all its VMs (self-fence).
    /// Default 8 s; keep it below the control plane's "heartbeat stale after" (10 s), so a host is
    /// fenced before its neighbours call it Down.
    /// </value>
    public TimeSpan SelfFenceAfter { get; set; } = TimeSpan.FromSeconds(8);

    /// <value>
    /// Whether the hosts' heartbeats say a watchdog backs their self-fence. Default true: the
    /// simulation kills a host's VMs itself when it cannot write, exactly as a watchdog would reset
    /// it. False makes HaOrchestrator fence the hosts only through their BMCs (to test that path).
    /// </value>
    public bool Watchdog { get; set; } = true;

    /// <value>
    /// The loopback-only port of the back door (power, faults, fleet, audit), apart from the
    /// control plane's. Default 0: no back door (nothing can break the fleet from outside).
    /// </value>
    [System.ComponentModel.DataAnnotations.Range(0, 65535, ErrorMessage = "Simulated:BackDoorPort must be a port number, or 0 for no back door.")]
    public int BackDoorPort { get; set; }

    public IReadOnlyList<string> HostIds() =>
        Hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
