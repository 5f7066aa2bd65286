using System.Data;
using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;
using Dapper;
using Npgsql;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>VM rows in <c>vm_lifecycle.vms</c>. Changes happen under a row lock inside a transaction.</summary>
public sealed class VmStore(NpgsqlDataSource dataSource)
{
    private const string SelectVms = """
        SELECT vm_id, name, cpu_cores, memory_mib, root_disk_gib, ha_level, restart_priority, state, host_id,
               incarnation, version, state_reason, created_at, updated_at
        FROM vm_lifecycle.vms
        """;

    /// <returns>False when a VM with this id already exists (nothing is changed).</returns>
    public async Task<bool> InsertAsync(VmRecord vm, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.vms (vm_id, name, cpu_cores, memory_mib, root_disk_gib, ha_level, restart_priority, state, created_at, updated_at)
            VALUES (@VmId, @Name, @CpuCores, @MemoryMib, @RootDiskGib, @HaLevel, @RestartPriority, @State, @CreatedAt, @UpdatedAt)
            ON CONFLICT (vm_id) DO NOTHING
            """, new
        {
            vm.VmId, vm.Name, vm.CpuCores, vm.MemoryMib, vm.RootDiskGib, HaLevel = vm.HaLevel.ToString(), vm.RestartPriority,
            State = vm.State.ToString(), vm.CreatedAt, vm.UpdatedAt,
        }) == 1;
    }

    public async Task<VmRecord?> GetAsync(Guid vmId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<VmRow>(SelectVms + " WHERE vm_id = @vmId", new { vmId });
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<VmRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<VmRow>(SelectVms + " ORDER BY created_at, vm_id");
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <returns>The VM with its new HA settings, or null when it does not exist or is destroyed.</returns>
    public async Task<VmRecord?> SetHaAsync(Guid vmId, VmHaLevel level, int restartPriority, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<VmRow>("""
            UPDATE vm_lifecycle.vms SET ha_level = @level, restart_priority = @restartPriority, updated_at = @at, version = version + 1
            WHERE vm_id = @vmId AND state <> 'Destroyed'
            RETURNING vm_id, name, cpu_cores, memory_mib, root_disk_gib, ha_level, restart_priority, state, host_id, incarnation, version, state_reason, created_at, updated_at
            """, new { vmId, level = level.ToString(), restartPriority, at });
        return row?.ToRecord();
    }

    /// <summary>Reads a VM and locks its row until the transaction ends.</summary>
    public static async Task<VmRecord?> LockAsync(IDbConnection connection, IDbTransaction transaction, Guid vmId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<VmRow>(SelectVms + " WHERE vm_id = @vmId FOR UPDATE", new { vmId }, transaction);
        return row?.ToRecord();
    }

    /// <summary>Reads every VM placed on a host and locks their rows (in id order, so two lockers cannot deadlock).</summary>
    public static async Task<IReadOnlyList<VmRecord>> LockOnHostAsync(IDbConnection connection, IDbTransaction transaction, string hostId)
    {
        var rows = await connection.QueryAsync<VmRow>(SelectVms + " WHERE host_id = @hostId ORDER BY vm_id FOR UPDATE", new { hostId }, transaction);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Writes the VM's state, host and incarnation, bumping its version.</summary>
    public static async Task UpdateAsync(IDbConnection connection, IDbTransaction transaction, VmRecord vm)
    {
        var updated = await connection.ExecuteAsync("""
            UPDATE vm_lifecycle.vms
            SET state = @State, host_id = @HostId, incarnation = @Incarnation, state_reason = @StateReason,
                updated_at = @UpdatedAt, version = version + 1
            WHERE vm_id = @VmId AND version = @Version
            """, new { vm.VmId, State = vm.State.ToString(), vm.HostId, vm.Incarnation, vm.StateReason, vm.UpdatedAt, vm.Version }, transaction);
        if (updated != 1)
            throw new DBConcurrencyException($"VM {vm.VmId} changed underneath (version {vm.Version}).");
    }

    private sealed record VmRow(
        Guid vm_id, string name, int cpu_cores, int memory_mib, int root_disk_gib, string ha_level, int restart_priority, string state,
        string? host_id, long incarnation, int version, string state_reason, DateTime created_at, DateTime updated_at)
    {
        public VmRecord ToRecord() => new()
        {
            VmId = vm_id, Name = name, CpuCores = cpu_cores, MemoryMib = memory_mib, RootDiskGib = root_disk_gib,
            HaLevel = Enum.Parse<VmHaLevel>(ha_level), RestartPriority = restart_priority,
            State = Enum.Parse<VmState>(state), HostId = host_id, Incarnation = incarnation, Version = version,
            StateReason = state_reason,
            CreatedAt = new DateTimeOffset(created_at, TimeSpan.Zero), UpdatedAt = new DateTimeOffset(updated_at, TimeSpan.Zero),
        };
    }
}
