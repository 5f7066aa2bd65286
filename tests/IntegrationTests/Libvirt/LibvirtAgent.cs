using CloudBus.HostAgent.Libvirt;
using CloudBus.HostAgent.Storage;
using CloudBus.HostAgent.Watchdog;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>The libvirt driver of one host as the agent builds it, on its own connection (a new one is "the agent restarted").</summary>
internal sealed class LibvirtAgent : IDisposable
{
    private readonly bool _ownedDirectory;

    /// <param name="heartbeatDirectory">The cluster's shared folder; a fresh one under the temp folder when not given.</param>
    public LibvirtAgent(string uri, string hostId = "kvm-1", TimeSpan? gracefulStopTimeout = null, string? heartbeatDirectory = null,
        TimeSpan? selfFenceAfter = null, TimeProvider? clock = null, IWatchdog? watchdog = null)
    {
        Connection = new LibvirtConnection(uri, DomainXml.Namespace);
        _ownedDirectory = heartbeatDirectory is null;
        Options = new LibvirtOptions
        {
            HostId = hostId, LibvirtUri = uri, GracefulStopTimeout = gracefulStopTimeout ?? TimeSpan.FromSeconds(60),
            HeartbeatDirectory = heartbeatDirectory ?? Directory.CreateTempSubdirectory("cb-heartbeats-").FullName,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), SelfFenceAfter = selfFenceAfter ?? TimeSpan.FromSeconds(8),
        };
        Storage = new HeartbeatStore(Options.HeartbeatDirectory);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Driver = new LibvirtDriver(Connection, Storage, options, clock ?? TimeProvider.System, NullLogger<LibvirtDriver>.Instance);
        Watchdog = watchdog ?? new NoWatchdog();
        Heartbeat = new LibvirtHeartbeat(Connection, Storage, Watchdog, options, clock ?? TimeProvider.System, NullLogger<LibvirtHeartbeat>.Instance);
    }

    public LibvirtOptions Options { get; }

    public HeartbeatStore Storage { get; }

    public LibvirtHeartbeat Heartbeat { get; }

    public IWatchdog Watchdog { get; }

    public LibvirtConnection Connection { get; }

    public LibvirtDriver Driver { get; }

    /// <summary>Waits for a lifecycle event of <paramref name="domain"/> that matches, skipping others.</summary>
    public async Task<DomainLifecycleEvent> NextEventAsync(string domain, Func<DomainLifecycleEvent, bool> matches, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var change in Connection.Events.ReadAllAsync(deadline.Token))
                if (change.DomainName == domain && matches(change)) return change;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }
        throw new TimeoutException($"No matching lifecycle event of domain {domain} within {timeout.TotalSeconds} s.");
    }

    public void Dispose()
    {
        Connection.Dispose();
        Watchdog.Dispose();
        if (_ownedDirectory && Directory.Exists(Options.HeartbeatDirectory)) Directory.Delete(Options.HeartbeatDirectory, recursive: true);
    }
}
