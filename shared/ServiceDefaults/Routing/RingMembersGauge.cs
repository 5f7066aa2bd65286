using System.Diagnostics.Metrics;
using CloudBus.Ring;
using CloudBus.ServiceDefaults.Telemetry;
using Npgsql;

namespace CloudBus.ServiceDefaults.Routing;

/// <summary>
/// How many members this instance's copy of its service's ring has, tagged with the service
/// (<c>ring</c>). Read from memory at each collection (nothing to refresh): two instances that
/// disagree show it at once.
/// </summary>
public sealed class RingMembersGauge : IGaugeSource
{
    public static readonly MetricName Members = new("cloudbus.ring.members", "{instance}", MetricKind.Gauge,
        "Members of this instance's copy of its service's ring");

    public RingMembersGauge(IMeterFactory meters, ServiceIdentity identity, RingHolder ring) =>
        meters.Create(identity.ServiceName).CreateObservableGauge(Members.Name,
            () => new Measurement<int>(ring.Current.Ring.Members.Count, new KeyValuePair<string, object?>("ring", ring.Service)),
            Members.Unit, Members.Description);

    /// <summary>Nothing to read: the ring is in memory. A source only so that the refresher creates the gauge at start.</summary>
    public Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;
}
