using System.Diagnostics.Metrics;
using CloudBus.ServiceDefaults.Telemetry;
using Dapper;
using Npgsql;

namespace CloudBus.ServiceDefaults.Scheduling;

/// <summary>
/// The backlog of the service's <see cref="ScheduledMessages"/> by state: <c>due</c> (committed and
/// waiting to be published: a growing number means the broker is away or the dispatcher behind),
/// <c>scheduled</c> (timers not due yet) and <c>parked</c> (refused for good, for an operator).
/// </summary>
public sealed class OutboxGauge : IGaugeSource
{
    public static readonly MetricName Messages = new("cloudbus.outbox.messages", "{message}", MetricKind.Gauge,
        "Messages in the service's outbox and timer table, by state (due, scheduled, parked)");

    private readonly StateCounts _counts = new("state", ["due", "scheduled", "parked"]);
    private readonly string _schema;
    private readonly TimeProvider _clock;

    public OutboxGauge(IMeterFactory meters, ServiceIdentity identity, ServiceDefinition definition, TimeProvider clock)
    {
        _schema = definition.Schema;
        _clock = clock;
        meters.Create(identity.ServiceName).CreateObservableGauge(Messages.Name, _counts.Observe, Messages.Unit, Messages.Description);
    }

    public async Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string, long)>(new CommandDefinition($"""
            SELECT CASE WHEN parked_why IS NOT NULL THEN 'parked' WHEN due_at <= @now THEN 'due' ELSE 'scheduled' END, count(*)
            FROM "{_schema}".scheduled_messages GROUP BY 1
            """, new { now = _clock.GetUtcNow() }, cancellationToken: cancellationToken));
        _counts.Update(rows);
    }
}
