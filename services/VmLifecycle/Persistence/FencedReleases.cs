using CloudBus.ServiceDefaults.Database;
using System.Text.Json;
using CloudBus.Messages.Vms;
using Dapper;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>Releases of fenced hosts in <c>vm_lifecycle.fenced_releases</c>, one per investigation, with what was announced.</summary>
public static class FencedReleases
{
    public static async Task<FencedHostReleased?> FindAsync(UnitOfWork work, Guid investigationId)
    {
        var json = await work.Connection.QuerySingleOrDefaultAsync<string>(
            "SELECT announcement::text FROM vm_lifecycle.fenced_releases WHERE investigation_id = @investigationId FOR UPDATE",
            new { investigationId }, work.Transaction);
        return json is null ? null : JsonSerializer.Deserialize<FencedHostReleased>(json, JsonSerializerOptions.Web);
    }

    public static Task InsertAsync(UnitOfWork work, FencedHostReleased announcement) =>
        work.Connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.fenced_releases (investigation_id, host_id, announcement, released_at)
            VALUES (@InvestigationId, @HostId, CAST(@json AS jsonb), @ReleasedAt)
            """, new
        {
            announcement.InvestigationId, announcement.HostId, json = JsonSerializer.Serialize(announcement, JsonSerializerOptions.Web), announcement.ReleasedAt,
        }, work.Transaction);
}
