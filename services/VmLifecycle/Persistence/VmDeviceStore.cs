using System.Text.Json;
using CloudBus.Messages.Vms;
using CloudBus.ServiceDefaults.Database;
using CloudBus.VmLifecycle.Domain;
using Dapper;
using Npgsql;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>A VM's hardware as created (<c>vm_lifecycle.vm_hardware</c>) and its devices as reported (<c>vm_lifecycle.vm_devices</c>).</summary>
public sealed class VmDeviceStore(NpgsqlDataSource dataSource)
{
    /// <summary>Stores a new VM's disks and NICs in <paramref name="work"/> (nothing for a VM without any).</summary>
    public static async Task AddHardwareAsync(UnitOfWork work, Guid vmId, VmHardware hardware)
    {
        if (hardware.IsEmpty) return;
        await work.Connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.vm_hardware (vm_id, disks, nics) VALUES (@vmId, @disks::jsonb, @nics::jsonb)
            ON CONFLICT (vm_id) DO NOTHING
            """, new { vmId, disks = Json(hardware.Disks), nics = Json(hardware.Nics) }, work.Transaction);
    }

    public async Task<VmHardware> HardwareAsync(Guid vmId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Disks, string Nics)?>(
            "SELECT disks::text, nics::text FROM vm_lifecycle.vm_hardware WHERE vm_id = @vmId", new { vmId });
        return row is { } found
            ? new VmHardware(Parse<VmDiskSpec[]>(found.Disks), Parse<VmNicSpec[]>(found.Nics))
            : VmHardware.None;
    }

    public async Task<ReportedDevices?> ReportedAsync(Guid vmId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DevicesRow>(
            "SELECT host_id, incarnation, devices::text AS devices, reported_by, reported_at FROM vm_lifecycle.vm_devices WHERE vm_id = @vmId", new { vmId });
        return row?.ToReported();
    }

    /// <summary>
    /// Stores what the host reported in <paramref name="work"/>, if the VM's current run is the one
    /// on that host (a report about an older run or another host is stale). A start or reboot
    /// always moves the report's time and source; sync confirming the devices already stored
    /// changes nothing.
    /// </summary>
    /// <returns>Whether it is to be stored (false for a stale report), and the devices stored before (null if none).</returns>
    public static async Task<(bool Stored, VmDevices? Before)> RecordAsync(UnitOfWork work, Guid vmId, ReportedDevices report)
    {
        // The VM's row is locked so its run cannot change between the check and the write.
        var current = await work.Connection.QuerySingleOrDefaultAsync<(string? HostId, long Incarnation)?>(
            "SELECT host_id, incarnation FROM vm_lifecycle.vms WHERE vm_id = @vmId FOR UPDATE", new { vmId }, work.Transaction);
        if (current is not { } run || run.HostId != report.HostId || run.Incarnation != report.Incarnation)
            return (false, null);
        var beforeJson = await work.Connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT devices::text FROM vm_lifecycle.vm_devices WHERE vm_id = @vmId", new { vmId }, work.Transaction);
        var before = beforeJson is null ? null : Parse<VmDevices>(beforeJson);
        if (report.ReportedBy == DeviceReportSource.Sync && report.Devices.Equals(before)) return (true, before);
        await work.Connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.vm_devices (vm_id, host_id, incarnation, devices, reported_by, reported_at)
            VALUES (@vmId, @HostId, @Incarnation, @devices::jsonb, @reportedBy, @ReportedAt)
            ON CONFLICT (vm_id) DO UPDATE SET host_id = excluded.host_id, incarnation = excluded.incarnation, devices = excluded.devices,
                reported_by = excluded.reported_by, reported_at = excluded.reported_at
            WHERE vm_devices.reported_at <= excluded.reported_at
            """, new { vmId, report.HostId, report.Incarnation, devices = Json(report.Devices), reportedBy = report.ReportedBy.ToString(), report.ReportedAt },
            work.Transaction);
        return (true, before);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web)!;

    private sealed class DevicesRow
    {
        public string host_id { get; init; } = "";
        public long incarnation { get; init; }
        public string devices { get; init; } = "";
        public string reported_by { get; init; } = "";
        public DateTimeOffset reported_at { get; init; }

        public ReportedDevices ToReported() =>
            new(Parse<VmDevices>(devices), host_id, incarnation, Enum.Parse<DeviceReportSource>(reported_by), reported_at);
    }
}
