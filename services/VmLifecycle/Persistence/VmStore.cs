using System.Data;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using Dapper;
using Npgsql;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>VM rows in <c>vm_lifecycle.vms</c>. Changes happen under a row lock inside a transaction.</summary>
public sealed class VmStore(NpgsqlDataSource dataSource)
{
    private const string SelectVms = """
        SELECT vm_id, name, cpu_cores, memory_mib, root_disk_gib, ha_level, restart_priority, state, host_id,
               incarnation, version, state_reason, created_at, updated_at, operation_id, storage_cluster, zone_wide_storage
        FROM vm_lifecycle.vms
        """;

    /// <summary>Stores a new VM in <paramref name="work"/>.</summary>
    /// <returns>False when a VM with this id already exists (nothing is changed).</returns>
    public static async Task<bool> InsertAsync(UnitOfWork work, VmRecord vm) =>
        await work.Connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.vms (vm_id, name, cpu_cores, memory_mib, root_disk_gib, ha_level, restart_priority, state, created_at, updated_at,
                                          storage_cluster, zone_wide_storage)
            VALUES (@VmId, @Name, @CpuCores, @MemoryMib, @RootDiskGib, @HaLevel, @RestartPriority, @State, @CreatedAt, @UpdatedAt,
                    @StorageCluster, @ZoneWideStorage)
            ON CONFLICT (vm_id) DO NOTHING
            """, new
        {
            vm.VmId, vm.Name, vm.CpuCores, vm.MemoryMib, vm.RootDiskGib, HaLevel = vm.HaLevel.ToString(), vm.RestartPriority,
            State = vm.State.ToString(), vm.CreatedAt, vm.UpdatedAt, StorageCluster = vm.Storage.Cluster, ZoneWideStorage = vm.Storage.ZoneWide,
        }, work.Transaction) == 1;

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
            WHERE vm_id = @vmId AND state <> @destroyed
            RETURNING vm_id, name, cpu_cores, memory_mib, root_disk_gib, ha_level, restart_priority, state, host_id, incarnation, version,
                      state_reason, created_at, updated_at, operation_id, storage_cluster, zone_wide_storage
            """, new { vmId, level = level.ToString(), restartPriority, at, destroyed = nameof(VmState.Destroyed) });
        return row?.ToRecord();
    }

    /// <summary>Reads a VM and locks its row until <paramref name="work"/> ends.</summary>
    public static async Task<VmRecord?> LockAsync(UnitOfWork work, Guid vmId)
    {
        var row = await work.Connection.QuerySingleOrDefaultAsync<VmRow>(SelectVms + " WHERE vm_id = @vmId FOR UPDATE", new { vmId }, work.Transaction);
        return row?.ToRecord();
    }

    /// <summary>Reads every VM placed on a host and locks their rows (in id order, so two lockers cannot deadlock).</summary>
    public static async Task<IReadOnlyList<VmRecord>> LockOnHostAsync(UnitOfWork work, string hostId)
    {
        var rows = await work.Connection.QueryAsync<VmRow>(SelectVms + " WHERE host_id = @hostId ORDER BY vm_id FOR UPDATE", new { hostId }, work.Transaction);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Writes the VM's state, host, incarnation, operation in flight and storage binding, bumping its version.</summary>
    public static async Task UpdateAsync(UnitOfWork work, VmRecord vm)
    {
        var updated = await work.Connection.ExecuteAsync("""
            UPDATE vm_lifecycle.vms
            SET state = @State, host_id = @HostId, incarnation = @Incarnation, state_reason = @StateReason,
                updated_at = @UpdatedAt, operation_id = @OperationId, storage_cluster = @StorageCluster, version = version + 1
            WHERE vm_id = @VmId AND version = @Version
            """, new
            {
                vm.VmId, State = vm.State.ToString(), vm.HostId, vm.Incarnation, vm.StateReason, vm.UpdatedAt, vm.OperationId, vm.Version,
                StorageCluster = vm.Storage.Cluster,
            },
            work.Transaction);
        if (updated != 1)
            throw new DBConcurrencyException($"VM {vm.VmId} changed underneath (version {vm.Version}).");
    }

    private sealed record VmRow(
        Guid vm_id, string name, int cpu_cores, int memory_mib, int root_disk_gib, string ha_level, int restart_priority, string state,
        string? host_id, long incarnation, int version, string state_reason, DateTimeOffset created_at, DateTimeOffset updated_at, Guid? operation_id,
        string? storage_cluster, bool zone_wide_storage)
    {
        public VmRecord ToRecord() => new()
        {
            VmId = vm_id, Name = name, CpuCores = cpu_cores, MemoryMib = memory_mib, RootDiskGib = root_disk_gib,
            HaLevel = Enum.Parse<VmHaLevel>(ha_level), RestartPriority = restart_priority,
            State = Enum.Parse<VmState>(state), HostId = host_id, Incarnation = incarnation, Version = version,
            StateReason = state_reason,
            CreatedAt = created_at, UpdatedAt = updated_at,
            OperationId = operation_id, Storage = new VmStorage(storage_cluster, zone_wide_storage),
        };
    }
}
