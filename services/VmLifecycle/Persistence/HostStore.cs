using CloudBus.Messages.Hosts;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using Dapper;
using Npgsql;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>Hosts and their capacity reservations in <c>vm_lifecycle.hosts</c>.</summary>
public sealed class HostStore(NpgsqlDataSource dataSource)
{
    private const string SelectHosts = """
        SELECT host_id, agent_address, cluster, cpu_cores, memory_mib, cpu_used, memory_used,
               storage_gib, storage_used, tags, status, enabled, registered_at, bmc_address, maintenance, maintenance_reason,
               alternate_agent_addresses, alternate_bmc_addresses
        FROM vm_lifecycle.hosts
        """;

    /// <summary>Stores a new host in <paramref name="work"/>.</summary>
    /// <returns>False when a host with this id already exists (nothing is changed).</returns>
    public static async Task<bool> TryAddAsync(UnitOfWork work, HostRecord host)
    {
        var inserted = await work.Connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.hosts (host_id, agent_address, cluster, cpu_cores, memory_mib, storage_gib, tags, status, registered_at, bmc_address,
                                            alternate_agent_addresses, alternate_bmc_addresses)
            VALUES (@HostId, @AgentAddress, @Cluster, @CpuCores, @MemoryMib, @StorageGib, @Tags, @Status, @RegisteredAt, @BmcAddress,
                    @AlternateAgentAddresses, @AlternateBmcAddresses)
            ON CONFLICT (host_id) DO NOTHING
            """, new
        {
            host.HostId, AgentAddress = host.AgentAddress.ToString(), host.Cluster, host.CpuCores, host.MemoryMib, host.StorageGib,
            Tags = host.Tags.ToArray(), Status = host.Status.ToString(), host.RegisteredAt, host.BmcAddress,
            AlternateAgentAddresses = host.AlternateAgentAddresses.Select(a => a.ToString()).ToArray(),
            AlternateBmcAddresses = host.AlternateBmcAddresses.ToArray(),
        }, work.Transaction);
        return inserted == 1;
    }

    public async Task<IReadOnlyList<HostRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HostRow>(SelectHosts + " ORDER BY host_id");
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<HostRecord?> GetAsync(string hostId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HostRow>(SelectHosts + " WHERE host_id = @hostId", new { hostId });
        return row?.ToRecord();
    }

    /// <summary>
    /// Takes HostMonitor's status of a host (the owner of that fact; this is a copy), unless a
    /// later one was already taken: copies may arrive out of order.
    /// </summary>
    /// <returns>False when the host is unknown or the copy held is newer.</returns>
    public static async Task<bool> SetStatusAsync(UnitOfWork work, string hostId, HostStatus status, DateTimeOffset changedAt) =>
        await work.Connection.ExecuteAsync("""
            UPDATE vm_lifecycle.hosts SET status = @status, status_changed_at = @changedAt
            WHERE host_id = @hostId AND (status_changed_at IS NULL OR status_changed_at <= @changedAt)
            """, new { hostId, status = status.ToString(), changedAt }, work.Transaction) == 1;

    /// <summary>Whether the status copy taken at <paramref name="changedAt"/> is still the one held (no later copy replaced it).</summary>
    public static async Task<bool> StatusStillAsync(UnitOfWork work, string hostId, DateTimeOffset changedAt) =>
        await work.Connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM vm_lifecycle.hosts WHERE host_id = @hostId AND status_changed_at = @changedAt)",
            new { hostId, changedAt }, work.Transaction);

    /// <summary>Puts a host into maintenance or back into service, in <paramref name="work"/>.</summary>
    /// <returns>False when the host already was (nothing changed).</returns>
    public static async Task<bool> SetMaintenanceAsync(UnitOfWork work, string hostId, bool inMaintenance, string reason) =>
        await work.Connection.ExecuteAsync("""
            UPDATE vm_lifecycle.hosts SET maintenance = @inMaintenance, maintenance_reason = CASE WHEN @inMaintenance THEN @reason END
            WHERE host_id = @hostId AND maintenance <> @inMaintenance
            """, new { hostId, inMaintenance, reason }, work.Transaction) == 1;

    /// <returns>Whether the host exists.</returns>
    public static async Task<bool> SetBmcAsync(UnitOfWork work, string hostId, string? bmcAddress, string[] alternates) =>
        await work.Connection.ExecuteAsync("""
            UPDATE vm_lifecycle.hosts SET bmc_address = @bmcAddress, alternate_bmc_addresses = @alternates WHERE host_id = @hostId
            """, new { hostId, bmcAddress, alternates }, work.Transaction) == 1;

    /// <summary>
    /// Reserves capacity on a host if it still fits, inside the caller's transaction, so the
    /// reservation and the VM's assignment commit together or not at all.
    /// </summary>
    public static async Task<bool> TryReserveAsync(UnitOfWork work, string hostId, VmRecord vm) =>
        await work.Connection.ExecuteAsync("""
            UPDATE vm_lifecycle.hosts
            SET cpu_used = cpu_used + @CpuCores, memory_used = memory_used + @MemoryMib, storage_used = storage_used + @RootDiskGib
            WHERE host_id = @hostId AND status = @connected AND enabled AND NOT maintenance
              AND cpu_used + @CpuCores <= cpu_cores AND memory_used + @MemoryMib <= memory_mib
              AND (storage_gib IS NULL OR storage_used + @RootDiskGib <= storage_gib)
            """, new { hostId, vm.CpuCores, vm.MemoryMib, vm.RootDiskGib, connected = nameof(HostStatus.Connected) }, work.Transaction) == 1;

    /// <summary>Gives a stopped VM's capacity back, inside the caller's transaction.</summary>
    public static Task ReleaseAsync(UnitOfWork work, string hostId, VmRecord vm) =>
        work.Connection.ExecuteAsync("""
            UPDATE vm_lifecycle.hosts
            SET cpu_used = GREATEST(cpu_used - @CpuCores, 0), memory_used = GREATEST(memory_used - @MemoryMib, 0),
                storage_used = GREATEST(storage_used - @RootDiskGib, 0)
            WHERE host_id = @hostId
            """, new { hostId, vm.CpuCores, vm.MemoryMib, vm.RootDiskGib }, work.Transaction);

    /// <summary>A row as Dapper reads it (settable properties: Npgsql reports text[] as a plain Array).</summary>
    private sealed class HostRow
    {
        public string host_id { get; init; } = "";
        public string agent_address { get; init; } = "";
        public string cluster { get; init; } = "";
        public int cpu_cores { get; init; }
        public int memory_mib { get; init; }
        public int cpu_used { get; init; }
        public int memory_used { get; init; }
        public int? storage_gib { get; init; }
        public int storage_used { get; init; }
        public string[] tags { get; init; } = [];
        public string status { get; init; } = "";
        public bool enabled { get; init; }
        public DateTimeOffset registered_at { get; init; }
        public string? bmc_address { get; init; }
        public bool maintenance { get; init; }
        public string? maintenance_reason { get; init; }
        public string[] alternate_agent_addresses { get; init; } = [];
        public string[] alternate_bmc_addresses { get; init; } = [];

        public HostRecord ToRecord() => new()
        {
            HostId = host_id, AgentAddress = new Uri(agent_address), Cluster = cluster, CpuCores = cpu_cores,
            MemoryMib = memory_mib, CpuUsed = cpu_used, MemoryUsed = memory_used, StorageGib = storage_gib, StorageUsed = storage_used, Tags = tags,
            Status = Enum.Parse<HostStatus>(status), Enabled = enabled,
            RegisteredAt = registered_at, BmcAddress = bmc_address,
            InMaintenance = maintenance, MaintenanceReason = maintenance_reason,
            AlternateAgentAddresses = [.. alternate_agent_addresses.Select(a => new Uri(a))], AlternateBmcAddresses = alternate_bmc_addresses,
        };
    }
}
