using CloudBus.HostMonitor.Sync;
using CloudBus.Messages.Vms;
using Dapper;
using Npgsql;

namespace CloudBus.HostMonitor.Persistence;

/// <summary>HostMonitor's copy of VmLifecycle's VM states (<c>host_monitor.vm_view</c>).</summary>
public sealed class VmViewStore(NpgsqlDataSource dataSource)
{
    /// <summary>Applies a state change unless a newer one was already applied (events can arrive out of order).</summary>
    public async Task ApplyAsync(VmStateChanged change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO host_monitor.vm_view AS v (vm_id, host_id, state, incarnation, changed_at)
            VALUES (@VmId, @HostId, @State, @Incarnation, @ChangedAt)
            ON CONFLICT (vm_id) DO UPDATE
            SET host_id = excluded.host_id, state = excluded.state, incarnation = excluded.incarnation, changed_at = excluded.changed_at
            WHERE (excluded.incarnation, excluded.changed_at) >= (v.incarnation, v.changed_at)
            """, new { change.VmId, change.HostId, State = change.To.ToString(), change.Incarnation, change.ChangedAt });
    }

    public async Task<IReadOnlyList<ExpectedVm>> ForHostAsync(string hostId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid VmId, string State, long Incarnation)>(
            "SELECT vm_id, state, incarnation FROM host_monitor.vm_view WHERE host_id = @hostId", new { hostId });
        return rows.Select(r => new ExpectedVm(r.VmId, Enum.Parse<VmState>(r.State), r.Incarnation)).ToList();
    }
}
