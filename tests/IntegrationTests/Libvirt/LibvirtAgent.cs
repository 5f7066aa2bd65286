using CloudBus.HostAgent.Libvirt;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CloudBus.IntegrationTests.Libvirt;

/// <summary>The libvirt driver of one host as the agent builds it, on its own connection (a new one is "the agent restarted").</summary>
internal sealed class LibvirtAgent : IDisposable
{
    public LibvirtAgent(string uri, string hostId = "kvm-1", TimeSpan? gracefulStopTimeout = null)
    {
        Connection = new LibvirtConnection(uri, DomainXml.Namespace);
        var options = new LibvirtOptions { HostId = hostId, LibvirtUri = uri, GracefulStopTimeout = gracefulStopTimeout ?? TimeSpan.FromSeconds(60) };
        Driver = new LibvirtDriver(Connection, Options.Create(options), TimeProvider.System, NullLogger<LibvirtDriver>.Instance);
    }

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

    public void Dispose() => Connection.Dispose();
}
